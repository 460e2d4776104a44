export { CustomFieldsService } from './custom-fields.js';
export { DevicesService, DEVICE_AUDIT_TARGET } from './service.js';
export { OwnersService } from './owners.js';
export type * from './wire.js';
