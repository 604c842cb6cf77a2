import { describe, expect, it } from 'vitest';
import { parseMultipart } from './multipart-body.ts';

const type = 'multipart/form-data; boundary=----WebKitFormBoundaryX1';
const body = (parts: string[]) =>
  Buffer.from(
    `${parts.map((p) => `------WebKitFormBoundaryX1\r\n${p}`).join('\r\n')}\r\n------WebKitFormBoundaryX1--\r\n`,
  );

describe('a multipart form as browsers send it', () => {
  it('gives its fields and its files, binary content intact, names reduced to base names', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const raw = Buffer.concat([
      body([
        'Content-Disposition: form-data; name="_csrf"\r\n\r\ntok',
        'Content-Disposition: form-data; name="title"\r\n\r\nDonnées «ex» 1',
        'Content-Disposition: form-data; name="files"; filename="a%22b.ipynb"\r\nContent-Type: application/x-ipynb+json\r\n\r\n{"x":1}',
        'Content-Disposition: form-data; name="files"; filename="C:\\\\Users\\\\me\\\\logo.png"\r\nContent-Type: image/png\r\n\r\n',
      ]).subarray(0, -2 - '------WebKitFormBoundaryX1--\r\n'.length),
      png,
      Buffer.from('\r\n------WebKitFormBoundaryX1--\r\n'),
    ]);
    const parsed = parseMultipart(raw, type);
    expect(parsed.fields.get('_csrf')).toBe('tok');
    expect(parsed.fields.get('title')).toBe('Données «ex» 1');
    expect(parsed.files.map((f) => f.filename)).toEqual(['a"b.ipynb', 'logo.png']);
    expect(parsed.files[0]!.content.toString()).toBe('{"x":1}');
    expect(parsed.files[1]!.content.equals(png)).toBe(true);
  });

  it('skips an empty file input and refuses a body that is not multipart', () => {
    const parsed = parseMultipart(
      body([
        'Content-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n',
      ]),
      type,
    );
    expect(parsed.files).toEqual([]);
    expect(() => parseMultipart(Buffer.from('title=x'), type)).toThrow(/malformed/);
    expect(() =>
      parseMultipart(body(['Content-Disposition: form-data; name="a"\r\n\r\nx']), 'multipart/form-data'),
    ).toThrow(/malformed/);
    const cut = body(['Content-Disposition: form-data; name="a"\r\n\r\nx']);
    expect(() => parseMultipart(cut.subarray(0, cut.length - 40), type)).toThrow(/malformed/);
  });
});
