/** Product names of the LMS family codes platforms send (`tool_consumer_info_product_family_code`). */
const products: Record<string, string> = {
  moodle: 'Moodle',
  canvas: 'Canvas',
  openedx: 'Open edX',
  open_edx: 'Open edX',
  edx: 'Open edX',
  sakai: 'Sakai',
  blackboard: 'Blackboard',
  desire2learn: 'Brightspace',
  d2l: 'Brightspace',
  schoology: 'Schoology',
  chamilo: 'Chamilo',
  ilias: 'ILIAS',
};

/**
 * What to call an LMS on pages, as a person would: its instance name ("Moodle Inria"), prefixed with
 * its product when the name does not say it ("Moodle · Université X"), else the registered name.
 */
export function lmsDisplayName(code: string | undefined, instance: string | undefined, registered: string) {
  const product = code ? (products[code.trim().toLowerCase()] ?? code.trim()) : undefined;
  const name = instance?.trim();
  if (name && product && !name.toLowerCase().includes(product.toLowerCase())) return `${product} · ${name}`;
  return name || product || registered;
}
