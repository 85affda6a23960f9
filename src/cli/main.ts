// The commander program. Each command's module is imported only when that command runs, so
// `netcensus --help` and every cron start stay fast (no SQLite, kysely or zod on the start-up path).
// This file holds the one top-level catch that maps errors to exit codes.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { processOutput, type Output } from './output.js';
import { EXIT, exitCodeFor, formatError } from './exit-codes.js';
import { VERSION } from './version.js';

export async function main(argv: string[]): Promise<void> {
  const output = processOutput();
  const program = buildProgram(output);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed its message (usage errors) or help/version (exit 0).
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    output.err(`netcensus: ${formatError(error)}\n`);
    process.exitCode = exitCodeFor(error);
  }
}

export function buildProgram(output: Output): Command {
  const program = new Command('netcensus')
    .description('Take a census of your IT: sweep networks, identify what answers, keep every scan as a\nsnapshot, diff inventories between dates and export them for audits.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--db <path>', 'SQLite database (default: $XDG_DATA_HOME/netcensus/inventory.db)').env('NETCENSUS_DB'))
    .option('--config <file>', 'config file (default: ./netcensus.yaml, then $XDG_CONFIG_HOME/netcensus/config.yaml)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s),
      writeErr: (s) => output.err(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'netcensus: ')),
    })
    .addHelpText(
      'after',
      `
Snapshots are named by id, "latest", "latest~N" (N before the latest) or a date YYYY-MM-DD
(the last complete snapshot on or before that day).

Exit codes: 0 done; 1 done and --exit-code found changes; 2 usage or config error;
3 scan completed but named targets failed beyond the threshold; 4 another scan holds the lock;
5 scan --max-duration ran out; 130/143 interrupted by SIGINT/SIGTERM.

Examples:
  netcensus scan 192.168.1.0/24 --label "office, first pass"
  netcensus scan --profile office
  netcensus diff 2025-12-31 latest
  netcensus export --format csv --out inventory.csv
  netcensus export --format xlsx --since 2025-01-01 --out audit.xlsx
  netcensus report --out report.html`,
    );

  program
    .command('scan')
    .summary('sweep targets and store a snapshot')
    .description(
      'Sweep the targets (TCP connect to a short port list; a refused connection also proves a host alive),\n' +
        'look up names, identify each device, and store the run as a snapshot.',
    )
    .argument('[targets...]', 'IPv4 address, CIDR (10.0.0.0/24), range (10.0.0.1-10.0.0.50 or 10.0.0.1-50), hostname, or @file')
    .option('-p, --profile <name>', 'use a named profile from the config file')
    .option('-x, --exclude <targets...>', 'leave these addresses, CIDRs or ranges out')
    .option('--ports <list>', 'TCP ports to probe, comma-separated (default 22,80,135,139,443,445,515,631,3389,9100)', parsePortList)
    .option('--timeout <ms>', 'connect timeout per probe in milliseconds (default 1000)', intBetween('--timeout', 10, 60_000))
    .option('--concurrency <n>', 'sockets in flight at most (default 256)', intBetween('--concurrency', 1, 20_000))
    .option('--max-hosts <n>', 'refuse targets covering more addresses than this (default 65536)', intBetween('--max-hosts', 1, 2 ** 32))
    .option('--label <text>', 'a note stored with the snapshot')
    .option('--rate <n>', 'probes (datagrams and connects) per second at most (default 10000)', intBetween('--rate', 1, 100_000))
    .option('--no-icmp', 'do not ping (fping or ping)')
    .option('--no-arp', 'do not use the neighbour (ARP) table for local segments')
    .option('--no-arp-scan', 'as root, do not send a large local range\'s ARP requests with arp-scan; use the kernel\'s neighbour table only')
    .option('--arp-wait <ms>', 'how long a local address may take to answer ARP (default 3000)', intBetween('--arp-wait', 100, 10_000))
    .addOption(
      new Option('--second-pass <when>', 'probe silent local addresses again: auto (when ARP loss calls for it), always, never').choices(['auto', 'always', 'never']),
    )
    .option('--no-dns', 'skip reverse DNS lookups')
    .option('--dns-server <addr...>', 'resolvers for reverse DNS (ip or ip:port) instead of the system ones')
    .option('--fail-threshold <pct>', 'exit 3 when more than this % of named hosts fail (default 50)', intBetween('--fail-threshold', 0, 100))
    .option('--community <c...>', 'SNMP v1/v2c communities to try, instead of the configured ones (literal, env:VAR or file:PATH)')
    .option('--snmp-v3 <name...>', 'SNMPv3 users to try, by their name in the config (snmp.v3)')
    .option('--snmp-port <port>', 'SNMP agent port (default 161)', intBetween('--snmp-port', 1, 65535))
    .option('--snmp-timeout <ms>', 'SNMP timeout per request (default 1500)', intBetween('--snmp-timeout', 50, 60_000))
    .option('--no-snmp', 'do not interrogate hosts over SNMP')
    .option(
      '--discover-only',
      'only find live hosts (how each answered, round trip, MAC and maker), as nmap -sn does: no connects to hosts on local segments (routed ones still prove themselves alive on the port list), no SNMP walks, fingerprinting or nmap',
    )
    .option('--nmap', 'also run nmap -sV (and -O as root) on live hosts; exit 3 if nmap is not installed')
    .option('--no-fingerprint', 'skip the HTTP title, NetBIOS, mDNS and SSDP probes used to classify devices')
    .option('--host-budget <ms>', 'time budget per host for interrogation, all SNMP walks included (default 30000)', intBetween('--host-budget', 500, 600_000))
    .option('--max-duration <duration>', 'stop the whole run after this long (90s, 45m, 2h): what was found is kept, the snapshot is interrupted, exit 5')
    .option('--wait <seconds>', 'when another scan holds the database, wait up to this long for it instead of exiting 4', intBetween('--wait', 0, 86_400))
    .addOption(new Option('--log-format <format>', 'stderr: text (a progress bar on a TTY, else one summary line) or json (one event a line)').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'print nothing but errors')
    .option('--json', 'print the run summary as JSON')
    .action(async (targets: string[], opts, cmd: Command) => {
      const { scanCommand } = await import('./commands/scan.js');
      process.exitCode = await scanCommand(targets, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  const snmpCommand = program.command('snmp').summary('SNMP tools: record a device for a bug report or a new definition');
  snmpCommand
    .command('walk')
    .summary('record a device as an snmprec file (sysContact and sysLocation redacted)')
    .argument('<target>', 'IPv4 address or host name of the agent')
    .option('-o, --out <file>', 'write the recording here (default: stdout)')
    .option('--community <c...>', 'v1/v2c communities to try (literal, env:VAR or file:PATH)')
    .option('--snmp-v3 <name...>', 'SNMPv3 users to try, by their name in the config')
    .option('--snmp-port <port>', 'agent port (default 161)', intBetween('--snmp-port', 1, 65535))
    .option('--snmp-timeout <ms>', 'timeout per request (default 1500)', intBetween('--snmp-timeout', 50, 60_000))
    .option('--max-values <n>', 'stop after this many values (default 200000)', intBetween('--max-values', 1, 10_000_000))
    .option('--no-redact', 'keep sysContact and sysLocation')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (target: string, opts, cmd: Command) => {
      const { snmpWalkCommand } = await import('./commands/snmp-walk.js');
      process.exitCode = await snmpWalkCommand(target, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('snapshots')
    .summary('list the stored runs')
    .option('--json', 'print JSON')
    .action(async (opts, cmd: Command) => {
      const { snapshotsCommand } = await import('./commands/snapshots.js');
      process.exitCode = await snapshotsCommand({ ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('assets')
    .summary('list the inventory as of a snapshot (default: latest)')
    .argument('[snapshot]', 'snapshot id, latest, latest~N or YYYY-MM-DD', 'latest')
    .option('-t, --type <type>', 'only this type (printer, switch, server, ...)')
    .option('--vendor <text>', 'only vendors containing this text')
    .option('-s, --search <text>', 'address, hostname, vendor, model, serial or MAC containing this text')
    .option('--json', 'print JSON')
    .action(async (snapshot: string, opts, cmd: Command) => {
      const { assetsCommand } = await import('./commands/assets.js');
      process.exitCode = await assetsCommand(snapshot, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('asset')
    .summary("one asset's history and the evidence of each match")
    .argument('<id>', 'asset id (from "netcensus assets")', intBetween('asset id', 1, Number.MAX_SAFE_INTEGER))
    .option('--software', 'list the installed software (from local probes and imported documents)')
    .option('--explain', 'for each identified field, the rule and the OID that gave it')
    .option('--json', 'print JSON')
    .action(async (id: number, opts, cmd: Command) => {
      const { assetCommand } = await import('./commands/asset.js');
      process.exitCode = await assetCommand(id, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('local')
    .summary('inventory this machine: store it, or write a document for import')
    .description(
      'Probe this machine (hardware, BIOS, CPU, memory, disks, network interfaces, OS, installed software)\n' +
        'and store it as a snapshot, or with --out write a portable inventory document to import elsewhere.\n' +
        'Sends nothing on the network. On Linux, serials need root.',
    )
    .option('-o, --out <file>', 'write the document here ("-" for stdout) instead of storing it')
    .option('--label <text>', 'a note stored with the snapshot')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd: Command) => {
      const { localCommand } = await import('./commands/local.js');
      process.exitCode = await localCommand({ ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('import')
    .summary('store inventory documents written by "netcensus local --out"')
    .description(
      'Validate and store inventory documents (folders are searched for *.json) as one snapshot. A document\n' +
        'already imported is skipped; a machine also seen on the network (same serial, UUID or MAC) is one asset.\n' +
        'Exit 3 when some documents are invalid (each is named, with its field); the others are still imported.',
    )
    .argument('<paths...>', 'inventory documents (.json) or folders of them')
    .option('--label <text>', 'a note stored with the snapshot')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--json', 'print the run summary as JSON')
    .action(async (paths: string[], opts, cmd: Command) => {
      const { importCommand } = await import('./commands/import.js');
      process.exitCode = await importCommand(paths, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('diff')
    .summary('what was added, removed or changed between two snapshots')
    .argument('[from]', 'snapshot id, latest~N or YYYY-MM-DD (default: the one before the latest)')
    .argument('[to]', 'snapshot (default: latest)')
    .option('--exit-code', 'exit 1 when there are changes')
    .option('--json', 'print JSON')
    .action(async (from: string | undefined, to: string | undefined, opts, cmd: Command) => {
      const { diffCommand } = await import('./commands/diff.js');
      process.exitCode = await diffCommand(from, to, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('export')
    .summary('write the inventory as of a snapshot as CSV, JSON or an XLSX audit workbook')
    .argument('[snapshot]', 'snapshot id, latest, latest~N or YYYY-MM-DD', 'latest')
    .addOption(new Option('-f, --format <format>', 'file format').choices(['csv', 'json', 'xlsx']).default('csv'))
    .option('-o, --out <file>', 'write here instead of stdout')
    .option('--since <when>', 'xlsx, json: list the changes since this snapshot or date (default for xlsx: the previous snapshot)')
    .option('--columns <list>', 'csv: comma-separated columns (add location,switch,switch_port to the defaults if wanted)')
    .option('--bom', 'csv: start with a UTF-8 byte order mark, for Excel')
    .action(async (snapshot: string, opts, cmd: Command) => {
      const { exportCommand } = await import('./commands/export.js');
      process.exitCode = await exportCommand(snapshot, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('prune')
    .summary("remove old snapshots' records (first and latest sightings stay), then VACUUM")
    .description(
      'Remove the records of old snapshots and give the space back. Each asset keeps its first sighting and its\n' +
        'latest one, so first/last seen, "missing since" and every later snapshot read as before. Pruned snapshots\n' +
        'stay listed (marked pruned) but cannot be named for assets, diff or export. Give --keep-last, --older-than\n' +
        'or both (then a snapshot goes only when both say so); the latest complete snapshot always stays.',
    )
    .option('--keep-last <n>', 'keep the latest N complete snapshots', intBetween('--keep-last', 1, Number.MAX_SAFE_INTEGER))
    .option('--older-than <duration>', 'prune snapshots started longer ago than this (90d, 12w, 36h)')
    .option('-n, --dry-run', 'say what would be removed, remove nothing')
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd: Command) => {
      const { pruneCommand } = await import('./commands/prune.js');
      process.exitCode = await pruneCommand({ ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('cron')
    .summary('print crontab lines for the scheduled profiles, or install / remove them')
    .description(
      'Print one crontab line per profile with a schedule in the config (schedule: "30 2 * * *"), with absolute\n' +
        'paths to node, netcensus, the config and the database. --install puts them in your crontab (marked, so\n' +
        'running it again replaces them rather than adding more); --remove takes them out.',
    )
    .option('-p, --profile <name>', 'only this profile')
    .option('--install', "add the lines to the user's crontab (replacing netcensus lines for this database)")
    .option('--remove', "remove this database's netcensus lines from the user's crontab")
    .action(async (opts, cmd: Command) => {
      const { cronCommand } = await import('./commands/cron.js');
      process.exitCode = await cronCommand({ ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('doctor')
    .summary('what this machine offers: tools, privileges, kernel limits, database, config, credentials')
    .description('Check what netcensus can use here and what each missing piece costs. Exit 0 when all is usable, 1 when something needed is broken.')
    .option('--json', 'print the checks as JSON')
    .action(async (opts, cmd: Command) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      process.exitCode = await doctorCommand({ ...cmd.optsWithGlobals(), ...opts }, output);
    });

  program
    .command('report')
    .summary('write a one-file HTML report: summary, charts, changes and missing assets')
    .argument('[snapshot]', 'snapshot id, latest, latest~N or YYYY-MM-DD', 'latest')
    .requiredOption('-o, --out <file>', 'the HTML file to write')
    .option('--since <when>', 'list the changes since this snapshot or date (default: the previous snapshot)')
    .action(async (snapshot: string, opts, cmd: Command) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(snapshot, { ...cmd.optsWithGlobals(), ...opts }, output);
    });

  return program;
}

function intBetween(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} takes a whole number from ${min} to ${max}, not "${value}".`);
    }
    return n;
  };
}

function parsePortList(value: string): number[] {
  const ports = value.split(',').map((p) => p.trim()).filter(Boolean);
  if (ports.length === 0) throw new InvalidArgumentError('give at least one port, e.g. --ports 22,80,443.');
  return ports.map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) {
      throw new InvalidArgumentError(`port "${p}" is not a number from 1 to 65535; write e.g. --ports 22,80,443.`);
    }
    return n;
  });
}
