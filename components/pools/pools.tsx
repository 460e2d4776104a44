import React from 'react';
import { PoolDetail } from './pool-detail';
import { PoolsList } from './pools-list';

/** The "IP pools" page: the list, or one pool when the URL names it (?pool=<id>). */
const PoolsPage: React.FC = () => {
  const id = Number(new URLSearchParams(window.location.search).get('pool'));
  return Number.isInteger(id) && id > 0 ? <PoolDetail id={id} /> : <PoolsList />;
};

export default PoolsPage;
