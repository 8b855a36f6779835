import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/** The person the employees' portal vouches for. */
export interface PortalIdentity {
  issuer: string;
  subject: string;
  employeeNumber: string;
  name?: string;
  email?: string;
}

/** Why a portal identity was refused; each has its own words for the person (see IDENTITY_TEXTS). */
export type IdentityRefusal = 'expired' | 'audience' | 'issuer' | 'signature' | 'claim' | 'malformed' | 'unavailable' | 'off';

export class PortalIdentityError extends Error {
  override name = 'PortalIdentityError';
  constructor(readonly reason: IdentityRefusal) {
    super(`portal identity refused: ${reason}`);
  }
}

/** What the person is told, per reason, in the form's or the chat's language. */
export const IDENTITY_TEXTS: Record<'nl' | 'en', Record<IdentityRefusal, string>> = {
  nl: {
    expired: 'Uw inlog bij het portaal is verlopen. Vernieuw de pagina van het portaal en verstuur uw bericht opnieuw.',
    audience: 'Deze inlog is niet voor Loket bedoeld. Verstuur uw bericht vanuit het portaal.',
    issuer: 'Deze inlog komt niet van het portaal. Verstuur uw bericht vanuit het portaal.',
    signature: 'Uw inlog bij het portaal kon niet worden gecontroleerd. Vernieuw de pagina van het portaal en probeer het opnieuw.',
    claim: 'Het portaal gaf geen personeelsnummer mee. Neem contact op met de beheerder van het portaal.',
    malformed: 'Uw inlog bij het portaal kon niet worden gelezen. Vernieuw de pagina van het portaal en probeer het opnieuw.',
    unavailable: 'Uw inlog kan nu niet worden gecontroleerd. Probeer het over een paar minuten opnieuw.',
    off: 'Loket kan geen inlog van een portaal controleren. Verstuur het formulier zonder portaal.',
  },
  en: {
    expired: 'Your portal sign-in has expired. Reload the portal page and send your message again.',
    audience: 'This sign-in is not meant for Loket. Send your message from the portal.',
    issuer: 'This sign-in does not come from the portal. Send your message from the portal.',
    signature: 'Your portal sign-in could not be checked. Reload the portal page and try again.',
    claim: 'The portal gave no employee number. Contact the portal’s administrator.',
    malformed: 'Your portal sign-in could not be read. Reload the portal page and try again.',
    unavailable: 'Your sign-in cannot be checked right now. Try again in a few minutes.',
    off: 'Loket cannot check a portal sign-in. Send the form without the portal.',
  },
};

/** A compact JWS: three base64url parts. What the form and the chat accept as `identity`. */
export const identityTokenSchema = z
  .string()
  .trim()
  .max(16_000)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

export interface PortalSettings {
  issuer: string;
  audience: string;
  /** The portal's keys; default: the `jwks_uri` of the issuer's discovery document. */
  jwksUrl?: string | undefined;
  /** The claim with the employee number. */
  employeeClaim: string;
}

/** Checks the portal's ID tokens: signature against its published keys (fetched and cached by jose), issuer, audience, expiry. */
export type IdentityVerifier = (token: string) => Promise<PortalIdentity>;

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export function portalVerifier(settings: PortalSettings): IdentityVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = () =>
    (keys ??= (async () => {
      if (settings.jwksUrl) return createRemoteJWKSet(new URL(settings.jwksUrl));
      const discovery = await fetch(new URL('.well-known/openid-configuration', settings.issuer.endsWith('/') ? settings.issuer : `${settings.issuer}/`));
      if (!discovery.ok) throw new Error(`portal discovery answered ${discovery.status}`);
      const { jwks_uri: jwksUri } = z.object({ jwks_uri: z.url() }).parse(await discovery.json());
      return createRemoteJWKSet(new URL(jwksUri));
    })().catch((err: unknown) => {
      keys = undefined;
      throw err;
    }));
  return async (token) => {
    if (!identityTokenSchema.safeParse(token).success) throw new PortalIdentityError('malformed');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, await keySet(), {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 30,
      }));
    } catch (err) {
      throw new PortalIdentityError(reasonOf(err));
    }
    const employee = payload[settings.employeeClaim];
    const employeeNumber = typeof employee === 'number' ? String(employee) : employee;
    if (typeof employeeNumber !== 'string' || !/^[A-Za-z0-9-]{1,20}$/.test(employeeNumber.trim()) || !payload.sub) throw new PortalIdentityError('claim');
    return {
      issuer: settings.issuer,
      subject: payload.sub,
      employeeNumber: employeeNumber.trim(),
      name: typeof payload['name'] === 'string' ? payload['name'].slice(0, 200) : undefined,
      email: typeof payload['email'] === 'string' && z.email().safeParse(payload['email']).success ? payload['email'] : undefined,
    };
  };
}

function reasonOf(err: unknown): IdentityRefusal {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) return err.claim === 'aud' ? 'audience' : err.claim === 'iss' ? 'issuer' : 'expired';
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JOSEAlgNotAllowed)
    return 'signature';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid || err instanceof errors.JOSENotSupported) return 'malformed';
  return 'unavailable';
}
