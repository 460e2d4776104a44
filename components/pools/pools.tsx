import React from 'react';
import { PoolDetail } from './pool-detail';
import { PoolsList } from './pools-list';
import { SubscriberIps } from './subscriber';

/** The "IP pools" page: the list, one pool (?pool=<id>) or one subscriber's addresses (?subscriber=<id>). */
const PoolsPage: React.FC = () => {
  const url = new URLSearchParams(window.location.search);
  const id = Number(url.get('pool'));
  const subscriber = url.get('subscriber');
  if (Number.isInteger(id) && id > 0) return <PoolDetail id={id} />;
  return subscriber ? <SubscriberIps subscriber={subscriber} /> : <PoolsList />;
};

export default PoolsPage;
