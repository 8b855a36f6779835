import type { CallLogField, CallOutcome } from './phone.schema.js';

/** Every sentence the phone pages and APIs show, in Dutch (the workspace is Dutch only). */
export const T = {
  logTitle: 'Telefoongesprek vastleggen',
  logIntro: 'Leg vast waar het gesprek over ging. De beller krijgt een registratienummer dat u direct kunt noemen.',
  required: 'verplicht',
  optional: 'niet verplicht',
  callerName: 'Naam van de beller',
  phone: 'Telefoonnummer',
  phoneHint: 'Bijvoorbeeld 06 12345678 of +31 6 12345678.',
  employeeNumber: 'Personeelsnummer',
  topic: 'Onderwerp',
  topicNone: 'Kies een onderwerp (niet verplicht)',
  summary: 'Samenvatting van het gesprek',
  outcome: 'Uitkomst',
  outcomeNone: 'Kies een uitkomst',
  outcomes: { beantwoord: 'Beantwoord', doorverwezen: 'Doorverwezen', terugbellen: 'Terugbellen' } satisfies Record<CallOutcome, string>,
  callback: 'De beller moet worden teruggebeld',
  fromCall: (callId: string) => `Dit gesprek hoort bij oproep ${callId}.`,
  callbackOf: (reference: string) => `U legt het terugbelgesprek vast voor zaak ${reference}.`,
  earlierCases: 'Eerdere zaken van dit nummer',
  noEarlierCases: 'Geen eerdere zaken van dit nummer.',
  submit: 'Gesprek vastleggen',
  errorSummary: 'Controleer de volgende velden:',
  errorPrefix: 'Fout:',
  invalid: 'Controleer de gemarkeerde velden.',
  loggedTitle: 'Gesprek vastgelegd',
  loggedReference: 'Noem de beller dit registratienummer:',
  loggedAgain: 'Dit gesprek was al vastgelegd; het registratienummer is hetzelfde gebleven.',
  logAnother: 'Nog een gesprek vastleggen',
  toCallbacks: 'Naar de terugbellijst',
  toWorkspace: 'Naar de werkplek',
  errors: {
    callerName: 'Vul een naam in van hoogstens 200 tekens.',
    phone: 'Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678.',
    employeeNumber: 'Een personeelsnummer bestaat uit hoogstens 20 letters en cijfers.',
    topic: 'Kies een onderwerp uit de lijst.',
    summary: 'Vul een samenvatting van het gesprek in (hoogstens 20.000 tekens).',
    outcome: 'Kies een uitkomst: beantwoord, doorverwezen of terugbellen.',
    callback: 'Kruis aan of de beller moet worden teruggebeld.',
    callId: 'Het gesprekskenmerk is ongeldig.',
    submissionId: 'Het formulierkenmerk is ongeldig; laad de pagina opnieuw.',
    callbackOf: 'Deze terugbeltaak bestaat niet.',
    callbackNeedsPhone: 'Vul het telefoonnummer in: zonder nummer kan niemand terugbellen.',
    unknownField: (field: string) => `Het veld "${field}" is onbekend.`,
  } satisfies Record<CallLogField, string> & Record<string, unknown>,
  callbacksTitle: 'Terugbellen',
  callbacksIntro: 'Open terugbeltaken, oudste eerst. Leg het terugbelgesprek vast; dan is de taak afgerond.',
  callbacksNone: 'Er zijn geen open terugbeltaken.',
  callbacksNumber: 'Nummer',
  callbacksName: 'Naam',
  callbacksCase: 'Zaak',
  callbacksSince: 'Sinds',
  callbacksWhat: 'Waarover',
  callbacksAction: 'Actie',
  callbacksLog: 'Terugbelgesprek vastleggen',
  callbacksTeam: 'Team',
  callbacksHrDesk: 'Alleen de taken van het HR-loket',
  callbacksAllTeams: 'Alle teams',
  callbacksPages: 'Pagina’s van de terugbellijst',
  callbacksFirst: 'Naar het begin van de lijst',
  callbacksNext: 'Volgende 50 taken',
  noNumber: 'geen nummer bekend',
  unknownCaller: 'onbekend',
  /** The text of a call nobody logged, written at hangup. */
  unloggedCall: (duration: string, number: string | undefined, answered: boolean) =>
    answered
      ? `Telefoongesprek van ${duration} met ${number ?? 'een afgeschermd nummer'}, nog niet vastgelegd door een medewerker.`
      : `Oproep van ${number ?? 'een afgeschermd nummer'}, na ${duration} opgehangen zonder dat er is opgenomen; nog niet vastgelegd door een medewerker.`,
  unloggedSubject: 'Telefoongesprek (nog aanvullen)',
  loggedSubject: (outcome: CallOutcome) => `Telefoongesprek (${T.outcomes[outcome].toLowerCase()})`,
  telephonyUnconfigured: 'Telefonie is niet ingesteld: zet TELEPHONY_SECRET om gebeurtenissen van de telefooncentrale te ontvangen.',
  telephonyUnauthorized: 'De handtekening van dit verzoek is ongeldig, verlopen of al eerder gebruikt.',
  telephonyUnavailable: 'De gebeurtenis kan nu niet worden gecontroleerd. Probeer het later opnieuw.',
  telephonyInvalid: 'De gebeurtenis is ongeldig.',
  callNotFound: 'Dit gesprek is niet bekend.',
};

/** `3 min 12 s`, or `45 s` under a minute. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return minutes > 0 ? `${minutes} min ${whole % 60} s` : `${whole} s`;
}
