/* global console */
// Builds the JupyterLab frontend into dist/ (static/, schemas/, themes/) with rspack, in production
// mode and without source maps. The module-federation sharing follows JupyterLab's own staging build,
// so prebuilt extensions (labgate-jupyter) load into it exactly as into a pip-installed JupyterLab.
import { createRequire } from 'node:module';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Build } = require('@jupyter/builder');
const baseConfig = require('@jupyter/builder/lib/webpack.config.base');
const { merge } = require('webpack-merge');
const { rspack } = require('@rspack/core');

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.join(here, 'build');
const distDir = path.join(here, 'dist');
const ownPackage = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
// The release's own staging package.json: its plugin lists, resolutions and singletons.
const corePackage = require('@jupyterlab/core-meta/core.package.json');
const excluded = new Set(ownPackage.jupyterlab.excludedExtensions);

const extensions = pickIncluded(corePackage.jupyterlab.extensions);
const mimeExtensions = pickIncluded(corePackage.jupyterlab.mimeExtensions);
const extensionPackages = [...new Set([...Object.keys(extensions), ...Object.keys(mimeExtensions)])];

function pickIncluded(entries) {
  return Object.fromEntries(Object.entries(entries).filter(([name]) => !excluded.has(name)));
}

function requireCalls(entries, target) {
  return Object.entries(entries)
    .map(([name, subPath]) => {
      const request = JSON.stringify(subPath ? `${name}/${subPath}` : name);
      return `bundle(${JSON.stringify(name)}, () => require(${request}), ${target});`;
    })
    .join('\n  ');
}

function writeEntryFiles() {
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(distDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const main = readFileSync(path.join(here, 'src', 'main-template.js'), 'utf8')
    .replace('/* BUNDLED_MIME_EXTENSIONS */', requireCalls(mimeExtensions, 'bundledMimeModules'))
    .replace('/* BUNDLED_EXTENSIONS */', requireCalls(extensions, 'bundledModules'))
    .replace('/* EXCLUDED_PLUGINS */ []', JSON.stringify(ownPackage.jupyterlab.excludedPlugins));
  writeFileSync(path.join(buildDir, 'index.out.js'), main);
  cpSync(path.join(here, 'src', 'bootstrap.js'), path.join(buildDir, 'bootstrap.js'));
}

/** Shared-module configuration, as in jupyterlab/staging/webpack.config.js at the release tag. */
function sharedModules() {
  const shared = {};
  for (const [name, requiredVersion] of Object.entries(corePackage.resolutions)) {
    shared[name] = { requiredVersion };
  }
  for (const name of extensionPackages) {
    shared[name] ??= { requiredVersion: require(`${name}/package.json`).version };
  }
  for (const name of extensionPackages) {
    const { dependencies = {}, jupyterlab = {} } = require(`${name}/package.json`);
    for (const [dependency, requiredVersion] of Object.entries(dependencies)) {
      shared[dependency] ??= { requiredVersion };
    }
    for (const [dependency, config] of Object.entries(jupyterlab.sharedPackages ?? {})) {
      if (config === false) delete shared[dependency];
      else shared[dependency] = { ...config, ...('bundled' in config ? { import: config.bundled } : {}) };
    }
  }
  for (const name of corePackage.jupyterlab.singletonPackages) {
    if (shared[name]) shared[name].singleton = true;
  }
  return shared;
}

function applicationConfig() {
  return merge(baseConfig, {
    mode: 'production',
    devtool: false,
    entry: { main: path.join(buildDir, 'bootstrap.js') },
    output: {
      path: path.join(distDir, 'static'),
      // The page template loads main.js by name; every other chunk is content-hashed.
      filename: (pathData) => (pathData.chunk?.name === 'main' ? '[name].js' : '[name].[contenthash].js'),
      chunkFilename: '[name].[contenthash].js',
      clean: true,
    },
    optimization: { minimize: true },
    performance: { hints: false },
    plugins: [
      new rspack.container.ModuleFederationPlugin({
        library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_LIBRARY_FEDERATION'] },
        name: 'CORE_FEDERATION',
        shared: sharedModules(),
      }),
    ],
  });
}

function run(configs) {
  return new Promise((resolve, reject) => {
    rspack(configs, (error, stats) => {
      if (error) return reject(error);
      if (stats.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve(stats);
    });
  });
}

const started = Date.now();
writeEntryFiles();
// Copies settings schemas to dist/schemas, writes build/style.js and returns the theme builds.
const themeConfigs = Build.ensureAssets({
  packageNames: extensionPackages,
  output: buildDir,
  schemaOutput: distDir,
  themeOutput: distDir,
});
await run([applicationConfig(), ...themeConfigs]);
console.error(
  `JupyterLab ${corePackage.version} frontend built in ${((Date.now() - started) / 1000).toFixed(1)} s → ${distDir}`,
);
