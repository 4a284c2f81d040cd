// Preloaded (`node -r`) into the CLI process the benchmark spawns: reports that process's peak RSS on exit,
// which the parent cannot read from spawnSync.
import { CHILD_RSS_MARKER } from "./measure";

process.on("exit", () => process.stderr.write(`\n${CHILD_RSS_MARKER}${process.resourceUsage().maxRSS}\n`));
