import { ProviderError } from '../../clients/git-providers/errors';
import {
  checkProviderToken,
  type TokenCheckInput,
  type TokenCheckResult,
  TokenScopeError,
} from '../../clients/git-providers/token-check';
import { apiError } from '../errors';

/**
 * Checks a token an admin registers and throws the API error to answer when it cannot work: 422 with the
 * provider's reason (unreachable base URL, rejected token, missing scope), 503 when the provider rate limits.
 * Git-provider registration calls this before storing a token.
 */
export async function verifyProviderToken(input: TokenCheckInput): Promise<TokenCheckResult> {
  try {
    return await checkProviderToken(input);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'rateLimited') throw apiError(503, error.message);
    if (error instanceof ProviderError && error.kind === 'notFound') {
      throw apiError(
        422,
        `${input.baseUrl} answered 404 to the token check: is this the ${input.kind === 'gitlab' ? 'GitLab' : 'GitHub'} address?`,
      );
    }
    if (error instanceof ProviderError || error instanceof TokenScopeError) throw apiError(422, error.message);
    throw error;
  }
}
