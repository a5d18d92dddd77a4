import { OperationError, type AdapterEnvironment, type JsonObject, type OperationContext } from '../types.js';
import { buildCommandEnv, listPlanEnvNames, type EnvSources } from './build-env.js';
import { describeExitFailure, describeLoss, describeSpawnFailure, describeStop, type CommandIdentity } from './describe-failure.js';
import { readExecInput } from './exec-input.js';
import { formatArgv } from './format-argv.js';
import { parseJsonOutput } from './parse-json-output.js';
import { assertDirectory, resolveProgram, resolveWorkingDirectory } from './resolve-paths.js';
import { runProcess } from './run-process.js';
import { readDuration, type ShellSettings } from './shell-settings.js';

/**
 * The `exec` operation: check the input, resolve program, cwd and environment, run the process,
 * and turn the outcome into the step output or an OperationError for the operator.
 */

/**
 * Runs one command for an instance with `settings`.
 *
 * @example
 * ```ts
 * const out = await execCommand(settings, { argv: ['pg_isready', '-h', 'db1'] }, ctx, env);
 * out.stdout; // "db1:5432 - accepting connections\n"
 * ```
 */
export async function execCommand(
  settings: ShellSettings,
  input: JsonObject,
  ctx: OperationContext,
  environment: AdapterEnvironment,
): Promise<JsonObject> {
  const exec = readExecInput(input);
  const { planDir } = environment;
  const program = exec.argv[0]!;
  const display = formatArgv(exec.argv);
  const cwd = resolveWorkingDirectory(exec.cwd, settings.cwd, planDir);
  await assertDirectory(cwd, planDir);
  const envSources: EnvSources = {
    processEnv: environment.env,
    inheritEnv: settings.inheritEnv,
    configEnv: settings.env,
    inputEnv: exec.env,
  };
  const env = buildCommandEnv(envSources);
  const timeoutMs = exec.timeout === undefined ? settings.timeoutMs : readTimeout(exec.timeout);
  const command: CommandIdentity = { display, program, resolved: resolveProgram(program, planDir), planDir, searchPath: env.PATH };

  if (ctx.signal.aborted) throw new OperationError(`command ${display} was cancelled before it started`);
  // argv and the names of the variables the plan sets; never environment values, which may be secrets.
  const logFields = { argv: exec.argv, cwd, timeoutMs: timeoutMs ?? null, env: listPlanEnvNames(envSources) };
  ctx.logger.info(logFields, `starting ${display}`);

  const outcome = await runProcess({
    file: command.resolved,
    args: exec.argv.slice(1),
    cwd,
    env,
    ...(exec.stdin === undefined ? {} : { stdin: exec.stdin }),
    maxOutputBytes: settings.maxOutputBytes,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    killGraceMs: settings.killGraceMs,
    signal: ctx.signal,
    clock: ctx.clock,
  });

  switch (outcome.kind) {
    case 'not-started': {
      const error = await describeSpawnFailure(command, outcome.error);
      ctx.logger.error({ argv: exec.argv, code: outcome.error.code ?? null }, error.message);
      throw error;
    }
    case 'stopped': {
      const error = describeStop(command, outcome, settings.killGraceMs);
      ctx.logger.warn({ argv: exec.argv, cause: outcome.cause.kind, forced: outcome.forced, durationMs: outcome.output.durationMs }, error.message);
      throw error;
    }
    case 'lost': {
      const error = describeLoss(command, outcome, settings.killGraceMs);
      const { launcher } = outcome;
      ctx.logger.error(
        { argv: exec.argv, launcherPid: launcher.pid, launcherExitCode: launcher.exitCode, launcherSignal: launcher.signal, stopped: outcome.stop !== null },
        error.message,
      );
      throw error;
    }
    case 'exited': {
      const { output, exitCode, signal } = outcome;
      const truncated = output.stdoutTruncated || output.stderrTruncated;
      const finished = { argv: exec.argv, exitCode, signal, durationMs: output.durationMs, truncated };
      if (outcome.pipesLeftOpen) {
        ctx.logger.warn(
          { argv: exec.argv },
          `${display} exited but a process it started in the background still holds its stdout/stderr; output after the exit is not captured (redirect the background process's output to avoid this)`,
        );
      }
      if (exitCode !== 0) {
        const error = describeExitFailure(command, outcome);
        ctx.logger.warn(finished, error.message);
        throw error;
      }
      ctx.logger.info(finished, `finished ${display}`);
      if (exec.json) return parseJsonOutput(display, output.stdout, output.stdoutTruncated, settings.maxOutputBytes);
      return { exitCode: 0, stdout: output.stdout, stderr: output.stderr, truncated, durationMs: output.durationMs };
    }
  }
}

function readTimeout(text: string): number {
  try {
    return readDuration('with.timeout', text);
  } catch (error) {
    throw new OperationError((error as Error).message, { retryable: false });
  }
}
