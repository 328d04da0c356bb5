import Link from "next/link";
import styles from "./overview.module.css";

/** Which experiment the trend shows: all, or one (the `experiment` search parameter, so it can be shared). */
export function TrendPicker({ experiments, selected }: { experiments: string[]; selected: string | null }) {
  if (experiments.length < 2) return null;
  const choices: Array<{ label: string; href: string; current: boolean }> = [
    { label: "All experiments", href: "/", current: selected === null },
    ...experiments.map((name) => ({
      label: name,
      href: `/?experiment=${encodeURIComponent(name)}`,
      current: selected === name,
    })),
  ];
  return (
    <nav className={styles.picker} aria-label="Trend of experiment">
      {choices.map((choice) => (
        <Link
          prefetch={false}
          key={choice.href}
          href={choice.href}
          scroll={false}
          className={styles.pickerLink}
          aria-current={choice.current ? "true" : undefined}
        >
          {choice.label}
        </Link>
      ))}
    </nav>
  );
}
