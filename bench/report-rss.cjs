// Preloaded with `node --require` to report a process's peak RSS (KiB) on exit.
process.on('exit', () => process.stderr.write(`\nMAXRSS_KB ${process.resourceUsage().maxRSS}\n`));
