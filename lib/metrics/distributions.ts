// The few distribution functions the comparison statistics need, in plain TypeScript: the
// standard normal (CDF, both tails, quantile), the binomial (exact pmf and CDF), the chi-square
// with one degree of freedom and Student's t (tail, quantile). Out-of-domain arguments give NaN.

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const INV_SQRT_2PI = 1 / SQRT_2PI;
const SQRT_32 = Math.sqrt(32);
const HALF_EPSILON = Number.EPSILON / 2;
/** Beyond this |x| the smaller normal tail is below the smallest normal double (Cody's XLOW). */
const NORMAL_TAIL_LIMIT = 37.5193;

// Cody's rational Chebyshev approximations (Math. Comp. 23, 1969; ACM TOMS Algorithm 715), as in
// R's pnorm: near machine precision in both tails, where 1 − erf(x) loses it beyond |x| ≈ 5.
// Coefficients here and below are the shortest literals of the doubles they denote.
const CODY_A = [
  2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745,
];
const CODY_B = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673];
const CODY_C = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726,
  6848.190450536283, 11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
];
const CODY_D = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097,
  34900.95272114598, 38912.00328609327, 19685.429676859992,
];
const CODY_P = [
  0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934,
  0.000029112874951168793, 0.023073441764940174,
];
const CODY_Q = [
  1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662,
];

const at = (coefficients: readonly number[], index: number) => coefficients[index] as number;

/** exp(−y²/2), with y² split so its rounding error does not reach the exponent (Cody). */
function gaussianFactor(y: number): number {
  const coarse = Math.trunc(y * 16) / 16;
  const rest = (y - coarse) * (y + coarse);
  return Math.exp(-coarse * coarse * 0.5) * Math.exp(-rest * 0.5);
}

/** [P(Z ≤ x), P(Z > x)] for a standard normal Z, each with full relative precision. */
function normalTails(x: number): [lower: number, upper: number] {
  if (Number.isNaN(x)) return [Number.NaN, Number.NaN];
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    let numerator = 0;
    let denominator = 0;
    if (y > HALF_EPSILON) {
      const square = x * x;
      numerator = at(CODY_A, 4) * square;
      denominator = square;
      for (let i = 0; i < 3; i += 1) {
        numerator = (numerator + at(CODY_A, i)) * square;
        denominator = (denominator + at(CODY_B, i)) * square;
      }
    }
    const half = (x * (numerator + at(CODY_A, 3))) / (denominator + at(CODY_B, 3));
    return [0.5 + half, 0.5 - half];
  }
  let tail = 0; // P(Z > y)
  if (y <= SQRT_32) {
    let numerator = at(CODY_C, 8) * y;
    let denominator = y;
    for (let i = 0; i < 7; i += 1) {
      numerator = (numerator + at(CODY_C, i)) * y;
      denominator = (denominator + at(CODY_D, i)) * y;
    }
    tail = gaussianFactor(y) * ((numerator + at(CODY_C, 7)) / (denominator + at(CODY_D, 7)));
  } else if (y < NORMAL_TAIL_LIMIT) {
    const inverseSquare = 1 / (y * y);
    let numerator = at(CODY_P, 5) * inverseSquare;
    let denominator = inverseSquare;
    for (let i = 0; i < 4; i += 1) {
      numerator = (numerator + at(CODY_P, i)) * inverseSquare;
      denominator = (denominator + at(CODY_Q, i)) * inverseSquare;
    }
    const correction = (inverseSquare * (numerator + at(CODY_P, 4))) / (denominator + at(CODY_Q, 4));
    tail = (gaussianFactor(y) * (INV_SQRT_2PI - correction)) / y;
  }
  return x > 0 ? [1 - tail, tail] : [tail, 1 - tail];
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return gaussianFactor(Math.abs(x)) * INV_SQRT_2PI;
}

/** P(Z ≤ x) for a standard normal Z (Cody 1969). */
export function normalCdf(x: number): number {
  return normalTails(x)[0];
}

/** P(Z > x), the upper tail, accurate where 1 − normalCdf(x) would round to 0. */
export function normalSf(x: number): number {
  return normalTails(x)[1];
}

// P. J. Acklam's rational approximation of the normal quantile (relative error ≤ 1.15e-9),
// followed by one Halley step against Cody's CDF, which Acklam recommends and which brings the
// result to machine precision: the step's error is cubic in the starting error.
const ACKLAM_A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const ACKLAM_B = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
];
const ACKLAM_C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const ACKLAM_D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const ACKLAM_LOW = 0.02425;

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const coefficient of coefficients) value = value * x + coefficient;
  return value;
}

/** Acklam's starting value for a lower-tail probability q in (0, 0.5]. */
function acklamLower(q: number): number {
  if (q < ACKLAM_LOW) {
    const r = Math.sqrt(-2 * Math.log(q));
    return polynomial(ACKLAM_C, r) / (polynomial(ACKLAM_D, r) * r + 1);
  }
  const centred = q - 0.5;
  const r = centred * centred;
  return (centred * polynomial(ACKLAM_A, r)) / (polynomial(ACKLAM_B, r) * r + 1);
}

/** The x with P(Z ≤ x) = p; ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Work in the lower tail, where Cody's CDF has full relative precision; 1 − p is exact for p ≥ 0.5.
  const q = p <= 0.5 ? p : 1 - p;
  let x = acklamLower(q);
  const density = normalPdf(x);
  if (density > 0) {
    const step = (normalCdf(x) - q) / density;
    if (Number.isFinite(step)) x -= step / (1 + (x * step) / 2);
  }
  return p <= 0.5 ? x : -x;
}

// Lanczos's approximation (SIAM J. Numer. Anal. B 1, 1964) with P. Godfrey's g = 7, nine-term
// coefficients: about 15 significant digits for Γ, enough for binomial probabilities.
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];
const LN_SQRT_2PI = Math.log(SQRT_2PI);

/** ln Γ(x) for x > 0 (NaN otherwise); below 1/2 through the reflection formula. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = at(LANCZOS, 0);
  for (let i = 1; i < LANCZOS.length; i += 1) sum += at(LANCZOS, i) / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

const isCount = (value: number) => Number.isInteger(value) && value >= 0;

/** ln C(n, k). */
export function logChoose(n: number, k: number): number {
  if (!isCount(n) || !isCount(k) || k > n) return Number.NaN;
  if (k === 0 || k === n) return 0;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (!isCount(n) || !(p >= 0 && p <= 1) || Number.isNaN(k)) return Number.NaN;
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/** P(X ≤ k) for X ~ Binomial(n, p), by exact summation of the pmf (smallest terms first). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (!isCount(n) || !(p >= 0 && p <= 1) || Number.isNaN(k)) return Number.NaN;
  const last = Math.floor(k);
  if (last < 0) return 0;
  if (last >= n) return 1;
  let sum = 0;
  for (let i = 0; i <= last; i += 1) sum += binomialPmf(i, n, p);
  return Math.min(1, sum);
}

/** P(X > x) for X ~ χ² with 1 degree of freedom: X = Z², so the tail is 2·P(Z > √x). */
export function chiSquare1Sf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return 2 * normalSf(Math.sqrt(x));
}

/** P(X ≤ x) for X ~ χ² with 1 degree of freedom. */
export function chiSquare1Cdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  const z = Math.sqrt(x);
  return normalCdf(z) - normalSf(z);
}

/** The x with P(X ≤ x) = p for X ~ χ² with 1 df (e.g. 3.841… for p = 0.95). */
export function chiSquare1Quantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  // z_{(1+p)/2}², computed from the small tail (1 − p)/2 so p near 1 keeps its precision.
  const z = normalQuantile((1 - p) / 2);
  return z * z;
}

/**
 * The regularized incomplete beta I_x(a, b), by Lentz's continued fraction (Numerical Recipes
 * §6.4), on the side of the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges fast.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0 || x === 1) return x;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 1000; m += 1) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    c = 1 + even / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    c = 1 + odd / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** P(T > t) for Student's t with df > 0 degrees of freedom: ½·I_{df/(df+t²)}(df/2, ½) above 0. */
export function studentTSf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** Student's t density with df degrees of freedom. */
function studentTPdf(t: number, df: number): number {
  const logNorm = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * The t with P(T ≤ t) = p for Student's t with df > 0 degrees of freedom (e.g. 2.776… for p =
 * 0.975, df = 4). Closed forms for df = 1 and 2; otherwise Newton's method on the upper tail from
 * the normal quantile, kept inside a shrinking bracket so a wild step falls back to bisection.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  // Solve in the upper tail q = P(T > t) for t > 0, where the tail keeps full relative precision.
  const q = p > 0.5 ? 1 - p : p;
  const sign = p > 0.5 ? 1 : -1;
  if (df === 1) return sign * Math.tan(Math.PI * (0.5 - q));
  if (df === 2) return sign * ((1 - 2 * q) / Math.sqrt(2 * q * (1 - q)));
  let low = 0;
  let high = Math.max(1, -normalQuantile(q));
  while (studentTSf(high, df) > q) {
    low = high;
    high *= 2;
  }
  let t = Math.min(Math.max(-normalQuantile(q), low), high);
  for (let i = 0; i < 100; i += 1) {
    const excess = studentTSf(t, df) - q; // decreasing in t
    if (excess > 0) low = t;
    else high = t;
    let next = t + excess / studentTPdf(t, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, t)) return sign * next;
    t = next;
  }
  return sign * t;
}
