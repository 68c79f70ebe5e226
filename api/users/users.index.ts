import type { AppDeps } from '../deps';
import { createRouter } from '../openapi';
import { createUserHandlers } from './users.handlers';
import * as routes from './users.routes';

/** `/me` and `/users` router. */
export function usersRouter(deps: AppDeps) {
  const h = createUserHandlers(deps);
  return createRouter()
    .openapi(routes.me, h.me)
    .openapi(routes.listUsers, h.listUsers)
    .openapi(routes.createUser, h.createUser)
    .openapi(routes.getUser, h.getUser)
    .openapi(routes.updateUser, h.updateUser)
    .openapi(routes.deleteUser, h.deleteUser)
    .openapi(routes.listTokens, h.listTokens)
    .openapi(routes.createToken, h.createToken)
    .openapi(routes.deleteToken, h.deleteToken);
}
