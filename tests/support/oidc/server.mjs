// A real OpenID Connect provider (panva/oidc-provider, OpenID Certified) for the browser test of
// single sign-on. Any login name is accepted with any password; the login name is the e-mail
// address the provider vouches for. Usage: node server.mjs PORT REDIRECT_URI CLIENT_SECRET
import http from 'node:http';

import Provider from 'oidc-provider';

const [port, redirectUri, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'poster-contest',
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // the e-mail in the ID token, where Streamlit reads identities
  cookies: { keys: ['contest-test-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id.split('@')[0] };
      },
    };
  },
  async loadExistingGrant(ctx) {
    // A first-party app: no consent screen, as the city's provider would be set up.
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

http.createServer(provider.callback()).listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
