// Entry point of the JupyterLab page. It must not import any shared package before the federated
// extensions have joined webpack's share scope, hence the dynamic import of the application at the end.
/* global document, window, console, __webpack_init_sharing__, __webpack_share_scopes__ */

function readPageConfig() {
  const element = document.getElementById('jupyter-config-data');
  return element ? JSON.parse(element.textContent || '{}') : {};
}

const pageConfig = readPageConfig();

// eslint-disable-next-line no-undef -- webpack's public path, set before any chunk loads.
__webpack_public_path__ = `${pageConfig.fullStaticUrl}/`;

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onload = resolve;
    script.onerror = () => reject(new Error(`Could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function joinShareScope(extension) {
  await loadScript(`${pageConfig.fullLabextensionsUrl}/${extension.name}/${extension.load}`);
  await __webpack_init_sharing__('default');
  await window._JUPYTERLAB[extension.name].init(__webpack_share_scopes__.default);
}

void (async () => {
  const federated = pageConfig.federated_extensions || [];
  const results = await Promise.allSettled(federated.map(joinShareScope));
  for (const result of results) {
    if (result.status === 'rejected') console.error(result.reason);
  }
  const { main } = await import('./index.out.js');
  if (document.readyState === 'complete') void main();
  else window.addEventListener('load', () => void main());
})();
