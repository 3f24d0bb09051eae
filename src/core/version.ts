// Injected by the bundler; falls back for tests run from source.
declare const __RUNSHEET_VERSION__: string | undefined;
export const VERSION: string = typeof __RUNSHEET_VERSION__ === 'string' ? __RUNSHEET_VERSION__ : '0.0.0-dev';
