// Types for prometheus-test-env.mjs, so the TypeScript tests can import it.
export const PROMETHEUS_BIN: string;
export const PUSHGATEWAY_BIN: string;
export function prometheusInstalled(): boolean;
export function installPrometheus(log?: (message: string) => void): boolean;
export interface PrometheusEnv {
  promUrl: string;
  pushUrl: string;
  stop(): Promise<void>;
}
export function startPrometheusEnv(opts?: { readyTimeoutMs?: number }): Promise<PrometheusEnv>;
export function pushMetrics(
  pushUrl: string,
  job: string,
  series: { name: string; value: number; labels?: Record<string, string> }[],
): Promise<void>;
