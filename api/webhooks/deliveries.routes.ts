import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, commonErrors, jsonResponse, uuidParam } from '../openapi';
import {
  deliveriesQuery,
  deliveryDetailSchema,
  deliveryPageSchema,
  deliveryParams,
  deliverySchema,
} from './deliveries.schemas';

const base = { tags: ['Webhooks'], security: bearerSecurity };
/** `GET /services/{id}/webhook/deliveries`. */
export const listDeliveries = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook/deliveries',
  summary: "The service's recent webhook deliveries, newest first, like the providers' Recent Deliveries (member)",
  request: { params: uuidParam, query: deliveriesQuery },
  responses: { 200: jsonResponse(deliveryPageSchema, 'Deliveries'), ...commonErrors },
});
export const getDelivery = createRoute({
  ...base,
  method: 'get',
  path: '/{id}/webhook/deliveries/{deliveryId}',
  summary: 'One delivery with its headers (no secrets) and payload (member)',
  request: { params: deliveryParams },
  responses: { 200: jsonResponse(deliveryDetailSchema, 'Delivery'), ...commonErrors },
});
export const redeliver = createRoute({
  ...base,
  method: 'post',
  path: '/{id}/webhook/deliveries/{deliveryId}/redeliver',
  summary:
    'Process a stored delivery again with the same delivery id (organization admin); an already started build is reused',
  request: { params: deliveryParams },
  responses: {
    200: jsonResponse(deliverySchema, 'The new delivery record'),
    409: jsonResponse(z.object({}), 'No payload'),
    ...commonErrors,
  },
});
