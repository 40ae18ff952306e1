/**
 * Property tests explore new random cases on every developer run; in CI they replay one fixed seed
 * so that a run is reproducible (a failure found locally prints its seed and path to replay).
 */
import fc from 'fast-check';

if (process.env['CI']) fc.configureGlobal({ seed: Number(process.env['SCS_DOCTOR_FC_SEED'] ?? 20261129) });
