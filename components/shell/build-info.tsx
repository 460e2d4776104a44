import React from 'react';

type BuildInfo = { version: string; commit: string; build_time: string };

/** version · commit · build time, injected by the server as window.IPOCKET_BUILD. */
export const BuildInfoLine: React.FC<{ color?: string }> = ({ color = '#64748b' }) => {
  const info = (window as unknown as { IPOCKET_BUILD?: BuildInfo }).IPOCKET_BUILD;
  if (!info) return null;
  return (
    <div data-testid="build-info" style={{ fontSize: 11, lineHeight: '16px', color }}>
      ipocket v{info.version} · {info.commit} · {info.build_time}
    </div>
  );
};

export default BuildInfoLine;
