import React from 'react';

/**
 * An IP address that may wrap only after a colon ("2001:db8:20:0:" / "ffff:ffff:ffff:fffe"),
 * never inside a group, and is never cut.
 */
export const Address: React.FC<{ ip: string }> = ({ ip }) => {
  const parts = ip.split(':');
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
    </>
  );
};

export default Address;
