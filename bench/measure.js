// @ts-check
/**
 * Runs one command as a cold process and measures it: wall time until the process exits, and the peak of the
 * memory of its whole process tree (the browser and its helpers included).
 *
 * Memory: every `sampleMs` the /proc table is read (`/proc/<pid>/stat` gives each process's parent and session),
 * the tree is the command's process and all its descendants, plus any process still in the command's session
 * (it is started in a session of its own), any process whose environment carries the run's marker variable
 * (`GAZETTE_BENCH_TREE`, inherited by every process it starts: Chromium's crash handlers detach themselves with a
 * double fork and a session of their own, and are found only so) and any process seen in the tree before that
 * still runs. The sample is the sum of `VmRSS` of those processes
 * (`/proc/<pid>/status`); the peak is the largest sample. Shared pages (Chromium's processes share much: its
 * binary, libraries and fonts are mapped in each) are counted once per process, so this is an upper bound of
 * what the tree really holds. The sum of `RssAnon` + `RssShmem` (the processes' own memory, without the files
 * they map) is sampled alongside, as the other bound. (Proportional set sizes, from smaps_rollup, would be
 * exact but take tens of ms per process to read while Chromium runs: too slow to sample at this rate.)
 *
 * CPU: the last `utime` + `stime` seen of each process of the tree, summed: the CPU time the tree used, which
 * unlike wall time does not grow when other work shares the machine (it misses the last sample period of each
 * process).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * @typedef {object} Measured
 * @property {boolean} ok exit code 0 within the time limit
 * @property {number} seconds wall time from spawn to exit
 * @property {number} peakMiB peak of the sum of VmRSS over the process tree
 * @property {number} peakAnonMiB peak of the sum of RssAnon + RssShmem over the process tree
 * @property {number} cpuSeconds CPU time (user + system) of the process tree
 * @property {number} otherCores CPU time the rest of the machine (but this process, the sampler) used meanwhile,
 *   per second of wall time (1 = a core kept busy by other work)
 * @property {number} peakProcesses the most processes seen in the tree at once
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {boolean} timedOut
 * @property {string} stdout the output's tail
 * @property {string} stderr the error output's tail
 */

/**
 * @typedef {object} MeasureOptions
 * @property {string} [cwd]
 * @property {NodeJS.ProcessEnv} [env]
 * @property {number} [timeoutMs] the process tree is killed past it (default 10 min)
 * @property {number} [sampleMs] memory sampling period (default 50 ms)
 */

/** @type {Set<ProcessTree>} the trees of the commands still running */
const running = new Set();

/** Kills every process of every command still running (on Ctrl-C), by pid. */
export function stopAll() {
  for (const tree of running) {
    for (const pid of tree.alive()) killPid(pid);
    killPid(tree.rootPid);
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @param {MeasureOptions} [options]
 * @returns {Promise<Measured>}
 */
export function measure(command, args, options = {}) {
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const sampleMs = options.sampleMs ?? 50;
  return new Promise((resolve) => {
    const started = performance.now();
    const busyAtStart = machineBusyTicks();
    const ownAtStart = process.cpuUsage();
    const marker = `${process.pid}-${++runCount}`;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), GAZETTE_BENCH_TREE: marker },
      // A session (and process group) of its own: the tree can be found by session and killed as a group.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rootPid = /** @type {number} */ (child.pid);
    const tree = new ProcessTree(rootPid, marker);
    running.add(tree);
    let peakKiB = 0;
    let peakAnonKiB = 0;
    let peakProcesses = 0;
    let timedOut = false;
    const sample = () => {
      const { kib, anonKiB, processes } = tree.sample();
      peakKiB = Math.max(peakKiB, kib);
      peakAnonKiB = Math.max(peakAnonKiB, anonKiB);
      peakProcesses = Math.max(peakProcesses, processes);
    };
    sample();
    const sampler = setInterval(sample, sampleMs);
    const limit = setTimeout(() => {
      timedOut = true;
      for (const pid of tree.alive()) killPid(pid);
      killGroup(rootPid);
    }, timeoutMs);
    const stdout = tail();
    const stderr = tail();
    child.stdout?.on('data', stdout.add);
    child.stderr?.on('data', stderr.add);
    let settled = false;
    /** @param {number | null} exitCode @param {string | null} signal @param {Error} [error] */
    const finish = (exitCode, signal, error) => {
      if (settled) return;
      settled = true;
      const seconds = (performance.now() - started) / 1000;
      const own = process.cpuUsage(ownAtStart);
      // The machine's busy time, less the tree's and this sampler's own.
      const busySeconds = (machineBusyTicks() - busyAtStart) / clockTicks - (own.user + own.system) / 1e6;
      clearInterval(sampler);
      clearTimeout(limit);
      running.delete(tree);
      // Whatever the command left running in its tree (a browser it did not close) is stopped, by pid.
      for (const pid of tree.alive()) killPid(pid);
      resolve({
        ok: !error && !timedOut && exitCode === 0,
        seconds,
        peakMiB: peakKiB / 1024,
        peakAnonMiB: peakAnonKiB / 1024,
        cpuSeconds: tree.cpuTicks() / clockTicks,
        otherCores: Math.max(0, busySeconds - tree.cpuTicks() / clockTicks) / seconds,
        peakProcesses,
        exitCode,
        signal,
        timedOut,
        stdout: stdout.text(),
        stderr: error ? `${stderr.text()}\n${error.message}`.trim() : stderr.text(),
      });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('exit', (code, signal) => {
      // The last output may still be in the pipes: let it arrive (briefly) before resolving.
      setTimeout(() => finish(code, signal), 100);
    });
  });
}

let runCount = 0;

/**
 * Kills a process group started by `measure` (its leader's pid is the group's id).
 *
 * @param {number} pid
 */
function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** @param {number} pid */
function killPid(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** The last 4,000 characters of a stream. */
function tail() {
  let text = '';
  return {
    /** @param {Buffer} chunk */
    add: (chunk) => {
      text = (text + chunk.toString('utf8')).slice(-4000);
    },
    text: () => text.trim(),
  };
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's times. */
const clockTicks = (() => {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/**
 * @typedef {object} ProcEntry
 * @property {number} ppid
 * @property {number} session
 * @property {string} start start time since boot (clock ticks): with the pid, names one process
 * @property {number} cpu utime + stime, clock ticks
 */

/** The descendants of one process (its session, its marked environment), found anew at each sample. */
class ProcessTree {
  /** @param {number} rootPid @param {string} marker */
  constructor(rootPid, marker) {
    this.rootPid = rootPid;
    this.marker = `GAZETTE_BENCH_TREE=${marker}\0`;
    /** @type {Map<string, boolean>} pid:start → whether its environment carries the marker (read once) */
    this.marked = new Map();
    /** @type {Map<number, string>} pid → start time, of every process seen in the tree */
    this.seen = new Map();
    /** @type {Map<string, number>} pid:start → the last CPU time seen */
    this.cpu = new Map();
  }

  /** @returns {{ kib: number, anonKiB: number, processes: number }} */
  sample() {
    const table = readProcTable();
    const members = this.members(table);
    let kib = 0;
    let anonKiB = 0;
    for (const pid of members) {
      const memory = memoryKiB(pid);
      kib += memory.rss;
      anonKiB += memory.anon;
      const entry = table.get(pid);
      if (entry) this.cpu.set(`${pid}:${entry.start}`, entry.cpu);
    }
    return { kib, anonKiB, processes: members.length };
  }

  /** The CPU time of every process seen, clock ticks. */
  cpuTicks() {
    let ticks = 0;
    for (const value of this.cpu.values()) ticks += value;
    return ticks;
  }

  /** The processes of the tree that still run (checked against their start time, so a reused pid is not one). */
  alive() {
    const table = readProcTable();
    return this.members(table).filter((pid) => pid !== this.rootPid);
  }

  /** @param {number} pid @param {ProcEntry} entry */
  isMarked(pid, entry) {
    const key = `${pid}:${entry.start}`;
    let marked = this.marked.get(key);
    if (marked === undefined) {
      try {
        marked = `\0${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(`\0${this.marker}`);
      } catch {
        marked = false; // gone, or not ours to read
      }
      this.marked.set(key, marked);
    }
    return marked;
  }

  /** @param {Map<number, ProcEntry>} table @returns {number[]} */
  members(table) {
    /** @type {Map<number, number[]>} */
    const children = new Map();
    for (const [pid, entry] of table) {
      const list = children.get(entry.ppid);
      if (list) list.push(pid);
      else children.set(entry.ppid, [pid]);
    }
    const found = new Set();
    const queue = table.has(this.rootPid) ? [this.rootPid] : [];
    for (const [pid, entry] of table) {
      if (entry.session === this.rootPid || this.seen.get(pid) === entry.start || this.isMarked(pid, entry)) {
        queue.push(pid);
      }
    }
    while (queue.length > 0) {
      const pid = /** @type {number} */ (queue.pop());
      if (found.has(pid)) continue;
      found.add(pid);
      for (const child of children.get(pid) ?? []) queue.push(child);
    }
    for (const pid of found) {
      const entry = table.get(pid);
      if (entry) this.seen.set(pid, entry.start);
    }
    return [...found];
  }
}

/** CPU time the whole machine spent busy since boot (all CPUs, clock ticks), from /proc/stat. */
function machineBusyTicks() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …: all but idle and iowait are busy.
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  return [0, 1, 2, 5, 6, 7].reduce((sum, index) => sum + (fields[index] ?? 0), 0);
}

/** @returns {Map<number, ProcEntry>} */
function readProcTable() {
  /** @type {Map<number, ProcEntry>} */
  const table = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name (field 2) is in parentheses and may hold spaces: the fields after it start at the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, session 6, utime 14, stime 15, starttime 22.
    table.set(Number(name), {
      ppid: Number(fields[1]),
      session: Number(fields[3]),
      start: fields[19] ?? '',
      cpu: Number(fields[11]) + Number(fields[12]),
    });
  }
  return table;
}

/**
 * @param {number} pid
 * @returns {{ rss: number, anon: number }} VmRSS, and RssAnon + RssShmem, in KiB (0 for a process gone or a zombie)
 */
function memoryKiB(pid) {
  let status;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: 0, anon: 0 };
  }
  /** @param {string} field */
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS'), anon: kib('RssAnon') + kib('RssShmem') };
}
