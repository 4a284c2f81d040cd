// Preloaded (`node -r`) into each process the benchmark spawns: reports that process's peak RSS on exit, which the
// parent cannot read from spawnSync. Plain JavaScript so it adds no compiler to the process it measures.
const { CHILD_RSS_MARKER } = { CHILD_RSS_MARKER: "m365-baseline-bench-maxrss-kib=" };
process.on("exit", () => process.stderr.write(`\n${CHILD_RSS_MARKER}${process.resourceUsage().maxRSS}\n`));
