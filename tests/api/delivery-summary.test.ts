// Recent deliveries name the ref and commit of each authenticated delivery, read from the payload Kiln kept.
import { describe, expect, it } from 'vitest';
import { summarizeDelivery } from '../../api/webhooks/delivery-summary';
import { githubPullRequest, githubPush, gitlabMergeRequest, gitlabPush } from '../support/webhook-payloads';

const project = { id: 7, path: 'team/shop', url: 'http://git.test/team/shop.git' };

describe('Delivery ref and commit', () => {
  it('reads pushes, tags, GitHub pull requests and GitLab merge requests as the providers send them', () => {
    const push = githubPush('team/shop', { after: 'a'.repeat(40), ref: 'refs/heads/feature/x' });
    expect(summarizeDelivery(JSON.stringify(push))).toEqual({ ref: 'feature/x', sha: 'a'.repeat(40) });
    const tag = gitlabPush(project, { ref: 'refs/tags/v1.2.0', after: 'b'.repeat(40) });
    expect(summarizeDelivery(JSON.stringify(tag)).ref).toBe('v1.2.0');
    const pr = githubPullRequest('team/shop') as { pull_request: { head: { ref: string; sha: string } } };
    expect(summarizeDelivery(JSON.stringify(pr))).toEqual({
      ref: pr.pull_request.head.ref,
      sha: pr.pull_request.head.sha,
    });
    const mr = gitlabMergeRequest(project, { action: 'open' }) as {
      object_attributes: { source_branch: string; last_commit: { id: string } };
    };
    expect(summarizeDelivery(JSON.stringify(mr))).toEqual({
      ref: mr.object_attributes.source_branch,
      sha: mr.object_attributes.last_commit.id,
    });
  });

  it('gives nulls for no payload, a body that is not JSON, or odd shapes, and cuts long values', () => {
    expect(summarizeDelivery(null)).toEqual({ ref: null, sha: null });
    expect(summarizeDelivery('not json')).toEqual({ ref: null, sha: null });
    expect(summarizeDelivery('null')).toEqual({ ref: null, sha: null });
    expect(summarizeDelivery(JSON.stringify({ ref: 42, after: ['x'] }))).toEqual({ ref: null, sha: null });
    expect(summarizeDelivery(JSON.stringify({ ref: 'x'.repeat(5000) })).ref).toHaveLength(255);
  });
});
