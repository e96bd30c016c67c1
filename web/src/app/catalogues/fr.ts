// Every feature module's messages in French, merged: one chunk, loaded
// by i18n.ts (loadMessages) when this language is first needed.

const files = import.meta.glob<Record<string, unknown>>('../../modules/*/messages/fr.json', {
  eager: true,
  import: 'default',
});

export default Object.assign({}, ...Object.values(files)) as Record<string, unknown>;
