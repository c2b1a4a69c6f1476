// Bundles the browser libraries into app/static/vendor/ (committed; the app never uses a CDN).
//   npm run build   rebuild the files
//   npm run check   rebuild into a temporary folder and fail if the committed files differ
import { build } from "esbuild";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendorDir = resolve(here, "../app/static/vendor");
const checkOnly = process.argv.includes("--check");
const outDir = checkOnly ? mkdtempSync(join(tmpdir(), "dojo-vendor-")) : vendorDir;

const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const version = (name) =>
  JSON.parse(readFileSync(join(here, "node_modules", name, "package.json"), "utf8")).version;

const common = {
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020"],
  legalComments: "eof",
  logLevel: "warning",
};

await build({ ...common, entryPoints: [join(here, "src/codemirror.js")], outfile: join(outDir, "codemirror.min.js") });
await build({ ...common, entryPoints: [join(here, "src/uplot.js")], outfile: join(outDir, "uplot.min.js") });
await build({ ...common, entryPoints: [join(here, "src/math.js")], outfile: join(outDir, "math.min.js") });
copyFileSync(join(here, "node_modules/uplot/dist/uPlot.min.css"), join(outDir, "uplot.min.css"));
// Temml's stylesheet for system math fonts, and the one small font it refers to.
copyFileSync(join(here, "node_modules/temml/dist/Temml-Local.css"), join(outDir, "temml.css"));
copyFileSync(join(here, "node_modules/temml/dist/Temml.woff2"), join(outDir, "Temml.woff2"));

// What is inside, so a reviewer can see the versions without opening the bundles.
const manifest = Object.fromEntries(
  Object.keys(pkg.devDependencies).filter((n) => n !== "esbuild").map((n) => [n, version(n)]),
);
manifest.esbuild = version("esbuild");
writeFileSync(join(outDir, "VERSIONS.json"), JSON.stringify(manifest, null, 2) + "\n");

if (checkOnly) {
  const stale = readdirSync(outDir).filter((name) => {
    try {
      return !readFileSync(join(outDir, name)).equals(readFileSync(join(vendorDir, name)));
    } catch {
      return true;
    }
  });
  rmSync(outDir, { recursive: true, force: true });
  if (stale.length) {
    console.error(`app/static/vendor is out of date: ${stale.join(", ")}; run npm run build`);
    process.exit(1);
  }
  console.log("app/static/vendor matches the build");
} else {
  console.log(`built ${vendorDir}`);
}
