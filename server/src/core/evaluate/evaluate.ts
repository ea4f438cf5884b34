/**
 * Static evaluation of module-level Python into an environment of Values. Never executes anything, never
 * throws, always terminates: expression depth and total work are bounded, and each node is visited at most
 * once per evaluation of its module (star-imported modules are evaluated once and cached).
 */
import type { ParsedFile } from '../python/parse';
import type { EvaluateOptions, ModuleEvaluation } from './model';
import { sharedResult } from './environment';
import { StatementEvaluator } from './statements';
import { finish, type Steps } from '../steps';

export * from './model';

class Evaluator extends StatementEvaluator {
  protected evaluateChild(parsed: ParsedFile, options: EvaluateOptions): ModuleEvaluation {
    return evaluateModule(parsed, options);
  }
}

/** Evaluates one module. Never throws: an internal failure yields an empty result with a limit note. */
export function evaluateModule(parsed: ParsedFile, options: EvaluateOptions = {}): ModuleEvaluation {
  return finish(evaluateModuleInSteps(parsed, options));
}

/** `evaluateModule`, pausing between top-level statements when `options.pause` says so. */
export function* evaluateModuleInSteps(
  parsed: ParsedFile,
  options: EvaluateOptions = {},
): Steps<ModuleEvaluation> {
  const ev = new Evaluator(parsed, options);
  const before = ev.budgetState;
  try {
    // Replayed bindings stay unmade in the namespace (environment.ts LazyEnv): whoever reads one makes it.
    yield* ev.run();
  } catch (e) {
    // A bug must not take the editor down; report it as an analysis limit on the file.
    ev.limit ??= {
      reason: `internal error: ${e instanceof Error ? e.message : String(e)}`,
      at: { file: parsed.file, from: 0, to: 0 },
    };
  }
  if (ev.demanded && (ev.dependencies.size > 0 || ev.limit)) {
    // Left out statements, then read a file (an import, an exec'd sibling, an environment file) or stopped at
    // a limit: what it left out is not known to be unread. Evaluated again whole.
    ev.budgetState = before;
    return yield* evaluateModuleInSteps(parsed, { ...options, demand: undefined });
  }
  const shared = ev.shared ? sharedResult(ev.shared, ev.env) : undefined;
  return {
    file: parsed.file,
    env: shared ? shared.own : ev.env,
    namespace: shared?.namespace,
    events: ev.events,
    imports: ev.imports,
    unresolvedStarImports: ev.unresolved,
    limit:
      ev.limit ??
      (parsed.limit
        ? {
            reason: parsed.limit.reason,
            at: { file: parsed.file, from: parsed.limit.at, to: parsed.limit.at },
          }
        : undefined),
    dependencies: [...ev.dependencies],
    checkpoints: ev.limit || options.keepCheckpoints === false ? undefined : ev.checkpoints,
    ...(ev.demanded ? { demanded: true } : {}),
  };
}
