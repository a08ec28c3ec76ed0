// AdamW with an optional EMA of the weights: the optimizer every model of the workbench trains with.
import * as tf from "@tensorflow/tfjs";
import { readSafetensors, writeSafetensors } from "../safetensors/index.js";

export interface AdamWOptions {
  beta1: number; // first-moment decay (paper recipes: 0.9)
  beta2: number; // second-moment decay (0.999 for the dVAE, 0.95 is common for transformers)
  eps: number; // denominator guard (1e-8)
  weightDecay: number; // decoupled decay, applied to the weights `decays(name)` selects
  decays: (name: string) => boolean; // which named weights decay (usually matrices/kernels, not biases, gains or embeddings)
  emaDecay: number; // decay of the saved weight average; 0 keeps no average
}

interface Slot {
  m: tf.Variable;
  v: tf.Variable;
  ema: tf.Variable | null;
}

/** Decoupled-weight-decay Adam over named variables, with bias correction and an optional EMA copy. */
export class AdamW {
  step = 0;
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly vars: readonly (readonly [string, tf.Variable])[],
    private readonly options: AdamWOptions,
  ) {
    for (const [name, v] of vars) {
      // tidy: the initial values' handles go, the variables keep the data.
      const slot = tf.tidy(() => ({
        m: tf.variable(tf.zerosLike(v), false),
        v: tf.variable(tf.zerosLike(v), false),
        ema: options.emaDecay > 0 ? tf.variable(v.clone(), false) : null,
      }) as unknown as tf.TensorContainer) as unknown as Slot;
      this.slots.set(name, slot);
    }
  }

  /** The variables in the order given, for tf.variableGrads. */
  variables(): tf.Variable[] {
    return this.vars.map(([, v]) => v);
  }

  /** One update with gradients keyed by variable name (as tf.variableGrads returns them) at learning rate `lr`. */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    const t = this.step + 1;
    const { beta1: b1, beta2: b2, eps, weightDecay: wd, decays, emaDecay } = this.options;
    tf.tidy(() => {
      for (const [name, w] of this.vars) {
        const g = grads[w.name];
        if (!g) continue;
        const s = this.slots.get(name)!;
        s.m.assign(tf.add(tf.mul(s.m, b1), tf.mul(g, 1 - b1)));
        s.v.assign(tf.add(tf.mul(s.v, b2), tf.mul(tf.square(g), 1 - b2)));
        const mHat = tf.div(s.m, 1 - b1 ** t);
        const vHat = tf.div(s.v, 1 - b2 ** t);
        let delta = tf.div(mHat, tf.add(tf.sqrt(vHat), eps));
        if (wd > 0 && decays(name)) delta = tf.add(delta, tf.mul(w, wd));
        w.assign(tf.sub(w, tf.mul(delta, lr)));
        if (s.ema) s.ema.assign(tf.add(tf.mul(s.ema, emaDecay), tf.mul(w, 1 - emaDecay)));
      }
    });
    this.step = t;
  }

  /** The EMA weights (or the live ones when EMA is off), by name. */
  averagedWeights(): Map<string, tf.Tensor> {
    return new Map(this.vars.map(([name, v]) => [name, this.slots.get(name)!.ema ?? v]));
  }

  /** Optimizer state for checkpoints: m, v and EMA per weight, plus the step. */
  state(): { step: number; tensors: Map<string, tf.Tensor> } {
    const tensors = new Map<string, tf.Tensor>();
    for (const [name] of this.vars) {
      const s = this.slots.get(name)!;
      tensors.set(`adam_m.${name}`, s.m);
      tensors.set(`adam_v.${name}`, s.v);
      if (s.ema) tensors.set(`ema.${name}`, s.ema);
    }
    return { step: this.step, tensors };
  }

  /** Restores what state() saved (resuming a run). Missing entries are an error naming them. */
  restore(state: { step: number; tensors: Map<string, tf.Tensor> }): void {
    for (const [name] of this.vars) {
      const s = this.slots.get(name)!;
      for (const [key, target] of [[`adam_m.${name}`, s.m], [`adam_v.${name}`, s.v], [`ema.${name}`, s.ema]] as const) {
        if (!target) continue;
        const t = state.tensors.get(key);
        if (!t) throw new Error(`checkpoint lacks optimizer state "${key}"`);
        target.assign(t);
      }
    }
    this.step = state.step;
  }

  /** state() as a safetensors file (the step in its metadata): the optimizer half of a run's checkpoint. */
  serialize(): Uint8Array {
    const { step, tensors } = this.state();
    return writeSafetensors(new Map([...tensors].map(([k, t]) => [k, { shape: t.shape, data: t.dataSync() as Float32Array }])), { step: String(step) });
  }

  /** Restores what serialize() wrote; a missing entry is an error naming it. */
  restoreFrom(bytes: Uint8Array): void {
    const file = readSafetensors(bytes);
    const tensors = new Map([...file.tensors].map(([k, t]) => [k, tf.tensor(t.data as Float32Array, t.shape)]));
    try {
      this.restore({ step: Number(file.metadata.step), tensors });
    } finally {
      tf.dispose([...tensors.values()]);
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v, ...(s.ema ? [s.ema] : [])]);
  }
}
