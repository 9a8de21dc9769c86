import { SchedError } from '../errors.js';
import { loadBundle } from '../checkpoints/bundle.js';
import { obsDimFor } from '../env/observation.js';
import type { SlotPolicy } from '../env/episode.js';
import { selectBackend, type BackendChoice } from '../ppo/backend.js';
import type { PpoLearner } from '../ppo/learner.js';

/** A trained model as the environment sees it: a deterministic masked policy over K slots. */
export interface LoadedModel {
  dir: string;
  learner: PpoLearner;
  policy: SlotPolicy;
  /** K the model was trained with: the environment must show exactly this many slots. */
  slots: number;
}

/** The backend choice last activated for inference, and the backend it gave. */
let active: { choice: BackendChoice; name: Promise<string> } | null = null;

/**
 * Activates a TensorFlow.js backend for inference (`auto`: native, else WebAssembly, else pure
 * JS, as for training; one observation per forward pass runs ~2.5x faster on WebAssembly than on
 * the pure JS backend). Repeated calls with the same choice do nothing.
 */
export async function ensureInferenceBackend(choice: BackendChoice = 'auto'): Promise<string> {
  if (active?.choice !== choice) active = { choice, name: selectBackend(choice).then((b) => b.name) };
  return active.name;
}

/**
 * Loads a checkpoint bundle (`checkpoints/<stage>/best`, `final`, `step_<N>`): the policy with
 * its own normalization statistics. A missing or corrupted bundle is a SchedError('CHECKPOINT')
 * naming the path; so is a model whose observation size does not fit its number of actions.
 */
export async function loadModel(dir: string, backendChoice: BackendChoice = 'auto'): Promise<LoadedModel> {
  const backend = await ensureInferenceBackend(backendChoice);
  const learner = loadBundle(dir, { backend });
  const K = learner.numActions;
  if (learner.obsDim !== obsDimFor(K)) {
    learner.dispose();
    throw new SchedError(
      'CHECKPOINT',
      `the model in ${dir} takes ${learner.obsDim} observations, but an environment with ${K} candidate slots (its number of actions) gives ${obsDimFor(K)}`,
    );
  }
  learner.vecNormalize.training = false;
  const out = new Int32Array(1);
  const policy: SlotPolicy = (obs, mask) => learner.predict(obs, mask, true, 1, out)[0];
  policy(new Float32Array(learner.obsDim), new Uint8Array(K).fill(1)); // warm-up: the first call builds the backend's kernels
  return { dir, learner, policy, slots: K };
}

/** A model must see as many slots as it has actions; `where` names what gives the other K. */
export function checkSlots(model: LoadedModel, slots: number, where: string): void {
  if (slots !== model.slots) {
    throw new SchedError(
      'CHECKPOINT',
      `the model in ${model.dir} was trained with ${model.slots} candidate slots (actions), but ${where} uses ${slots}`,
    );
  }
}
