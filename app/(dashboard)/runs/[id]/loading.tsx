/** Shown while the run's data loads (a long run's series is aggregated on the server). */
export default function RunLoading() {
  return (
    <section className="empty-state" aria-label="Loading run" aria-busy="true">
      <h2>Loading the run…</h2>
      <p>Summing its windows into chart buckets and merging their latency histograms.</p>
    </section>
  );
}
