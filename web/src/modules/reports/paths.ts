// Client-side routes of the reports module, served as index.html by the node.
// ?from=YYYY-MM-DD&to=YYYY-MM-DD (to included)
export const COOPERATION_REPORT = '/reports/cooperation';

export const paths = [COOPERATION_REPORT];
