// The editing history the report's player downloads (GET /api/interviews/{id}/playback/{q}):
// a first text and one step ("frame") per change, `[t_ms, role, position, deleted, inserted, ...]`
// with splices in UTF-16 code units (JavaScript's own string indices), last position first.
// No DOM here: the player (playback.js) and the browser tests use these alone.

export const KEYFRAME_EVERY = 50; // a full copy of the text every this many steps

/** The text after one step. Each splice's position counts in the text before the step. */
export function applyFrame(text, frame) {
  for (let i = 2; i + 2 < frame.length; i += 3) {
    const position = frame[i];
    const deleted = frame[i + 1];
    text = text.slice(0, position) + frame[i + 2] + text.slice(position + deleted);
  }
  return text;
}

/**
 * The text at any step, without replaying from the start: full copies are kept every
 * KEYFRAME_EVERY steps (made as the steps are first applied), so seeking backwards applies at
 * most that many steps from the copy below, and moving forwards goes on from the last seek.
 */
export class History {
  constructor(initial, frames, every = KEYFRAME_EVERY) {
    this.frames = frames;
    this.every = every;
    this.keyframes = [initial]; // keyframes[k] is the text at step k * every
    this.last = { step: 0, text: initial };
    this.applied = 0; // steps applied by the last seek (for tests and measurements)
  }

  get steps() {
    return this.frames.length;
  }

  textAt(step) {
    const target = Math.max(0, Math.min(this.frames.length, step));
    const k = Math.min(Math.floor(target / this.every), this.keyframes.length - 1);
    let at = k * this.every;
    let text = this.keyframes[k];
    if (this.last.step <= target && this.last.step > at) {
      at = this.last.step;
      text = this.last.text;
    }
    this.applied = target - at;
    while (at < target) {
      text = applyFrame(text, this.frames[at]);
      at += 1;
      if (at % this.every === 0 && at / this.every === this.keyframes.length) this.keyframes.push(text);
    }
    this.last = { step: target, text };
    return text;
  }

  /** Where the text step `step` inserted sits in textAt(step): [start, end) ranges, in order. */
  insertedAt(step) {
    if (step < 1 || step > this.frames.length) return [];
    const frame = this.frames[step - 1];
    const ranges = [];
    let shift = 0;
    // The splices come last position first: walk them first position first, shifting each by
    // what the ones before it added or removed.
    for (let i = frame.length - 3; i >= 2; i -= 3) {
      const start = frame[i] + shift;
      const inserted = frame[i + 2];
      if (inserted.length) ranges.push([start, start + inserted.length]);
      shift += inserted.length - frame[i + 1];
    }
    return ranges;
  }

  /** Session time (ms since the start) of each step; step 0 is the start. */
  times() {
    return [0, ...this.frames.map((frame) => frame[0])];
  }
}

/**
 * Where each step falls on the playing clock, with every pause longer than `capMs` shortened
 * to `capMs`: [clock ms per step], and for each step the session time skipped before it.
 */
export function playClock(times, capMs) {
  const clock = [0];
  const skipped = [0];
  for (let s = 1; s < times.length; s += 1) {
    const gap = Math.max(0, times[s] - times[s - 1]);
    clock.push(clock[s - 1] + Math.min(gap, capMs));
    skipped.push(Math.max(0, gap - capMs));
  }
  return { clock, skipped };
}
