// Client-side routes of the training module (training programmes, their
// sessions and enrolments, the technical-assistance catalogue), served as
// index.html by the node.
export const TRAINING = '/training';
export const PROGRAMME = '/training/programmes/{id}';
export const SESSION = '/training/sessions/{id}';
// ?domain=<domain>
export const CATALOGUE = '/training/catalogue';

export const paths = [TRAINING, PROGRAMME, SESSION, CATALOGUE];
