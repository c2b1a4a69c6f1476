// Bundles the browser libraries into app/static/vendor/ (committed; the app never uses a CDN),
// and copies the test-only axe-core into tests/browser/vendor/ (never served by the app).
//   npm run build   rebuild the files
//   npm run check   rebuild into a temporary folder and fail if the committed files differ
import { build } from "esbuild";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendorDir = resolve(here, "../app/static/vendor");
const testVendorDir = resolve(here, "../tests/browser/vendor");
const checkOnly = process.argv.includes("--check");
const scratch = checkOnly ? mkdtempSync(join(tmpdir(), "dojo-vendor-")) : null;
const outDir = checkOnly ? join(scratch, "app") : vendorDir;
const testOutDir = checkOnly ? join(scratch, "tests") : testVendorDir;
mkdirSync(outDir, { recursive: true });
mkdirSync(testOutDir, { recursive: true });
// Packages the browser tests inject into pages; they stay out of the app's vendor folder.
const TEST_ONLY = ["axe-core"];

const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const version = (name) =>
  JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version;

// y-codemirror.next imports @codemirror/state and @codemirror/view; in the collab bundle those
// resolve to the editor bundle through the pages' import map, never to a second copy (two copies
// of CodeMirror do not recognise each other's facets and the binding would do nothing).
const sharedCodemirror = {
  name: "shared-codemirror",
  setup(builder) {
    builder.onResolve({ filter: /^@codemirror\/(state|view)$/ }, () => ({
      path: "dojo/vendor/codemirror",
      external: true,
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "warning",
};

await build({ ...common, entryPoints: [join(here, "src/codemirror.js")], outfile: join(outDir, "codemirror.min.js") });
await build({
  ...common,
  entryPoints: [join(here, "src/collab.js")],
  outfile: join(outDir, "collab.min.js"),
  plugins: [sharedCodemirror],
});
await build({ ...common, entryPoints: [join(here, "src/uplot.js")], outfile: join(outDir, "uplot.min.js") });
await build({ ...common, entryPoints: [join(here, "src/math.js")], outfile: join(outDir, "math.min.js") });
copyFileSync(join(here, "node_modules/uplot/dist/uPlot.min.css"), join(outDir, "uplot.min.css"));
// Temml's stylesheet for system math fonts, and the one small font it refers to.
copyFileSync(join(here, "node_modules/temml/dist/Temml-Local.css"), join(outDir, "temml.css"));
copyFileSync(join(here, "node_modules/temml/dist/Temml.woff2"), join(outDir, "Temml.woff2"));

// What is inside, so a reviewer can see the versions without opening the bundles.
const manifest = Object.fromEntries(
  Object.keys(pkg.devDependencies)
    .filter((n) => n !== "esbuild" && !TEST_ONLY.includes(n))
    .map((n) => [n, version(n)]),
);
manifest.esbuild = version("esbuild");
writeFileSync(join(outDir, "VERSIONS.json"), JSON.stringify(manifest, null, 2) + "\n");

// axe-core ships its own minified build; the accessibility tests inject it with Playwright.
copyFileSync(join(here, "node_modules/axe-core/axe.min.js"), join(testOutDir, "axe.min.js"));
const testManifest = Object.fromEntries(TEST_ONLY.map((n) => [n, version(n)]));
writeFileSync(join(testOutDir, "VERSIONS.json"), JSON.stringify(testManifest, null, 2) + "\n");

function staleFiles(built, committed) {
  return readdirSync(built).filter((name) => {
    try {
      return !readFileSync(join(built, name)).equals(readFileSync(join(committed, name)));
    } catch {
      return true;
    }
  });
}

if (checkOnly) {
  const stale = [
    ...staleFiles(outDir, vendorDir).map((name) => `app/static/vendor/${name}`),
    ...staleFiles(testOutDir, testVendorDir).map((name) => `tests/browser/vendor/${name}`),
  ];
  rmSync(scratch, { recursive: true, force: true });
  if (stale.length) {
    console.error(`vendored files are out of date: ${stale.join(", ")}; run npm run build`);
    process.exit(1);
  }
  console.log("app/static/vendor and tests/browser/vendor match the build");
} else {
  console.log(`built ${vendorDir} and ${testVendorDir}`);
}
