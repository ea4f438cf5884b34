/** The one secret masker lives in the core (core/secrets.ts): every front end's output passes through it. */
export * from '../core/secrets';
