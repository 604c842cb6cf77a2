// Starts JupyterLab with the bundled core plugins plus the federated (prebuilt) extensions listed in
// the page config. build.mjs fills in the markers: require() calls for the bundled extensions and the
// plugins this harness leaves out (package.json "jupyterlab".excludedPlugins).
/* global window, console */
import { JupyterLab } from '@jupyterlab/application';
import { JupyterPluginRegistry, PageConfig } from '@jupyterlab/coreutils';
import { IConnectionStatus, IServiceManager } from '@jupyterlab/services';

import './style.js';

const EXCLUDED_PLUGINS = /* EXCLUDED_PLUGINS */ [];

function pluginsOf(module) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule') ? module.default : module;
  return Array.isArray(exported) ? exported : [exported];
}

async function loadFederatedModule(scope, moduleName) {
  const factory = await window._JUPYTERLAB[scope].get(moduleName);
  return factory();
}

async function settledValues(promises) {
  const values = [];
  for (const result of await Promise.allSettled(promises)) {
    if (result.status === 'fulfilled') values.push(result.value);
    else console.error(result.reason);
  }
  return values;
}

export async function main() {
  const federated = JSON.parse(PageConfig.getOption('federated_extensions') || '[]');
  const federatedNames = new Set(federated.map((extension) => extension.name));
  const disabled = [];
  const deferred = [];

  function activePlugins(modules) {
    const active = [];
    for (const plugin of modules.flatMap(pluginsOf)) {
      if (PageConfig.Extension.isDisabled(plugin.id) || EXCLUDED_PLUGINS.includes(plugin.id)) {
        disabled.push(plugin.id);
        continue;
      }
      if (PageConfig.Extension.isDeferred(plugin.id)) deferred.push(plugin.id);
      active.push(plugin);
    }
    return active;
  }

  const bundledMimeModules = [];
  const bundledModules = [];
  // A federated extension with the same name as a bundled one replaces it, as in JupyterLab.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by the generated lines below.
  const bundle = (name, load, modules) => {
    if (!federatedNames.has(name)) modules.push(load());
  };
  /* BUNDLED_MIME_EXTENSIONS */
  /* BUNDLED_EXTENSIONS */

  const federatedModules = await settledValues(
    federated.filter((ext) => ext.extension).map((ext) => loadFederatedModule(ext.name, ext.extension)),
  );
  const federatedMimeModules = await settledValues(
    federated
      .filter((ext) => ext.mimeExtension)
      .map((ext) => loadFederatedModule(ext.name, ext.mimeExtension)),
  );
  await settledValues(
    federated.filter((ext) => ext.style).map((ext) => loadFederatedModule(ext.name, ext.style)),
  );

  const mimeExtensions = activePlugins([...bundledMimeModules, ...federatedMimeModules]);
  const plugins = activePlugins([...bundledModules, ...federatedModules]);

  // Since JupyterLab 4.4 the service manager itself comes from a plugin (@jupyterlab/services-extension).
  const pluginRegistry = new JupyterPluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);

  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager,
    connectionStatus,
    mimeExtensions,
    disabled: { matches: disabled, patterns: PageConfig.Extension.disabled },
    deferred: { matches: deferred, patterns: PageConfig.Extension.deferred },
  });
  await lab.start({ ignorePlugins: deferred, bubblingKeydown: true });
  if (PageConfig.getOption('exposeAppInBrowser').toLowerCase() === 'true') window.jupyterapp = lab;
}
