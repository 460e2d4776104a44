import React from 'react';

/**
 * An IP address or CIDR that may wrap only after a colon ("2001:db8:20:0:" / "ffff:ffff:ffff:fffe")
 * or before its prefix length ("203.0.113.0" / "/29"), never inside a group, and is never cut.
 * Its cell needs a class that breaks nowhere else (`ipk-addr`): "anywhere" turned
 * 203.0.113.0/29 into "203.0.113.0/2" over "9".
 */
export const Address: React.FC<{ ip: string }> = ({ ip }) => {
  const slash = ip.indexOf('/');
  const parts = (slash < 0 ? ip : ip.slice(0, slash)).split(':');
  return (
    <>
      {parts.map((p, i) => (
        <React.Fragment key={i}>
          {p}
          {i < parts.length - 1 ? (
            <>
              :<wbr />
            </>
          ) : null}
        </React.Fragment>
      ))}
      {slash < 0 ? null : (
        <>
          <wbr />
          {ip.slice(slash)}
        </>
      )}
    </>
  );
};

export default Address;
