import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CartPoleVecEnv } from '../../src/ppo/cartpole.js';

test('CartPole: one step follows gymnasium dynamics (Euler, tau 0.02)', () => {
  const env = new CartPoleVecEnv(1, 123);
  const [x, xd, th, thd] = Array.from(env.obs);
  for (const v of [x, xd, th, thd]) assert.ok(Math.abs(v) <= 0.05);
  env.step(Int32Array.from([1]));
  // gymnasium cartpole.py, written out independently
  const temp = (10 + 0.05 * thd * thd * Math.sin(th)) / 1.1;
  const thacc = (9.8 * Math.sin(th) - Math.cos(th) * temp) / (0.5 * (4 / 3 - (0.1 * Math.cos(th) ** 2) / 1.1));
  const xacc = temp - (0.05 * thacc * Math.cos(th)) / 1.1;
  const expected = [x + 0.02 * xd, xd + 0.02 * xacc, th + 0.02 * thd, thd + 0.02 * thacc];
  expected.forEach((v, i) => assert.ok(Math.abs(env.obs[i] - v) < 1e-6, `obs[${i}] ${env.obs[i]} vs ${v}`));
  assert.equal(env.rewards[0], 1);
  assert.equal(env.terminated[0], 0);
});

test('CartPole: always pushing right ends in a terminal state; the episode is reported and the env reset', () => {
  const env = new CartPoleVecEnv(2, 0);
  let steps = 0;
  while (!env.terminated[0]) {
    env.step(Int32Array.from([1, 1]));
    steps++;
    assert.ok(steps < 100);
  }
  assert.equal(env.truncated[0], 0);
  assert.ok(Math.abs(env.finalObs[2]) > (12 * 2 * Math.PI) / 360 || Math.abs(env.finalObs[0]) > 2.4);
  assert.ok(Math.abs(env.obs[2]) <= 0.05, 'obs already holds the next episode');
  const eps = env.drainEpisodes();
  assert.ok(eps.some((e) => e.env === 0 && e.length === steps && e.return === steps));
  assert.deepEqual(env.drainEpisodes(), []);
});

test('CartPole: the time limit truncates (not terminates) and keeps the final observation', () => {
  const env = new CartPoleVecEnv(1, 4, 3);
  env.step(Int32Array.from([0]));
  env.step(Int32Array.from([1]));
  env.step(Int32Array.from([0]));
  assert.equal(env.truncated[0], 1);
  assert.equal(env.terminated[0], 0);
  assert.notDeepEqual(Array.from(env.finalObs), Array.from(env.obs));
  assert.equal(env.drainEpisodes()[0].length, 3);
});
