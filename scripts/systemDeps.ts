// Before `npm test` and `npm start`: the Debian packages they need from the system. As root it
// installs what is missing (apt-get); otherwise it names the missing packages and stops.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

interface Need {
  readonly pkg: string;
  readonly present: () => boolean;
}

const onPath = (command: string) => () => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const postgres = () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
const font = (name: string) => () => (spawnSync('fc-list', [], { encoding: 'utf8' }).stdout ?? '').toLowerCase().includes(name);

/** The review server remuxes with ffmpeg; the tests add Chromium, PostgreSQL, the tesseract CLI (bench:ocr) and fonts for screenshots. */
const NEEDS: Record<'start' | 'test', readonly Need[]> = {
  start: [{ pkg: 'ffmpeg', present: onPath('ffmpeg') }],
  test: [
    { pkg: 'ffmpeg', present: onPath('ffmpeg') },
    { pkg: 'chromium', present: onPath('chromium') },
    { pkg: 'postgresql', present: postgres },
    { pkg: 'tesseract-ocr', present: onPath('tesseract') },
    { pkg: 'fonts-noto-core', present: font('noto') },
    { pkg: 'fonts-dejavu-core', present: font('dejavu') },
  ],
};

const purpose = process.argv[2] === 'start' ? 'start' : 'test';
const missing = NEEDS[purpose].filter((need) => !need.present()).map((need) => need.pkg);
if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = onPath('apt-get')();
  if (!root || !apt) {
    process.stderr.write(`npm ${purpose} needs these Debian/Ubuntu packages: ${missing.join(' ')}\ninstall them with: sudo apt-get install ${missing.join(' ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`installing ${missing.join(' ')} …\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env }) : update;
  if (install.status !== 0) {
    process.stderr.write(`could not install ${missing.join(' ')}; install them and run npm ${purpose} again\n`);
    process.exit(1);
  }
}
