import { useEffect, useState } from 'react';

/**
 * An identity image fetched with its playback link and shown from a blob: the page's policy allows
 * images from the app only, and the link (with its token) never becomes an `<img src>`.
 */
export function BlobImage({ url, alt, width }: { readonly url: string; readonly alt: string; readonly width: number }) {
  const [state, setState] = useState<{ readonly url: string; readonly blob: string | null; readonly failed: boolean }>({ url, blob: null, failed: false });
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    void fetch(url, { cache: 'no-store' })
      .then(async (res) => {
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        made = URL.createObjectURL(await res.blob());
        if (live) setState({ url, blob: made, failed: false });
      })
      .catch(() => live && setState({ url, blob: null, failed: true }));
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [url]);
  const current = state.url === url ? state : { blob: null, failed: false };
  if (current.failed) return <p className="muted">{alt}: could not be loaded.</p>;
  if (!current.blob) return <div className="blob-image--loading" style={{ width }} role="img" aria-label={`${alt} (loading)`} />;
  return <img src={current.blob} alt={alt} width={width} />;
}
