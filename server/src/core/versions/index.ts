/** Public face of workspace version inference (which files pin Django/Horizon, and what they pin); pure, no file access. */
export { VERSION_FILE_PATTERNS, classifyVersionFile } from './version-files';
export { inferDjangoVersion, inferHorizonVersion, type VersionFile, type VersionInference } from './infer';
export { horizonVersionFromDistInfo } from './dist-info';
