/** Reads the installed Horizon version from a package metadata directory name (`horizon-23.0.0.egg-info`); never touches the file system. */
import { formatRelease, parseRelease } from './specifiers';

// Directory names are short; anything longer is not package metadata (and bounds the regex work).
const MAX_NAME_CHARS = 255;

// `horizon-<version>[-py3.11].(egg|dist)-info`: setuptools adds the `-pyX.Y` tag to eggs installed by
// `setup.py install`; wheels write `.dist-info`; Debian ships `.egg-info`. The version is everything
// up to the tag or suffix and is validated by parseRelease, so `horizon_foo-1.0` or `django-horizon-…`
// cannot pass.
const METADATA_DIR = /^horizon-([^-]+?)(?:-py\d+(?:\.\d+)*)?\.(?:egg|dist)-info$/i;

/**
 * The Horizon version (`X.Y.Z`, missing components as 0, pre/dev markers dropped) named by a metadata
 * directory such as `horizon-23.0.0.egg-info` or `horizon-25.6.0.dist-info`. A path is accepted and
 * only its last segment read (Debian: `/usr/lib/python3/dist-packages/horizon-23.0.0.egg-info`).
 */
export function horizonVersionFromDistInfo(dirName: string): string | undefined {
  if (typeof dirName !== 'string') return undefined;
  const segments = dirName.split(/[\\/]+/).filter((s) => s !== '');
  const name = segments[segments.length - 1] ?? '';
  if (name.length > MAX_NAME_CHARS) return undefined;
  const m = METADATA_DIR.exec(name);
  const release = m ? parseRelease(m[1] ?? '') : undefined;
  return release && release.some((p) => p !== 0) ? formatRelease(release, 3) : undefined;
}
