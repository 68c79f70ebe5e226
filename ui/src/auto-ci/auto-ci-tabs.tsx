/** The Auto CI modal's sections, in order. */
export const autoCiTabs = [
  { id: 'settings', label: 'Settings' },
  { id: 'detect', label: 'Detect Services' },
  { id: 'webhook', label: 'Webhook' },
] as const;
type Tab = (typeof autoCiTabs)[number];
/** One of the Auto CI modal's sections. */
export type TabId = Tab['id'];

/** The tab list (WAI-ARIA tabs pattern): the current tab is the only one in the tab order; arrow keys move. */
export function AutoCiTabs({
  shown,
  current,
  onSelect,
}: {
  shown: readonly Tab[];
  current: TabId;
  onSelect: (tab: TabId) => void;
}) {
  return (
    <div className="tabs" role="tablist" aria-label="Auto CI sections">
      {shown.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`autoci-tab-${t.id}`}
          aria-selected={current === t.id}
          aria-controls={`autoci-panel-${t.id}`}
          className="tab"
          onClick={() => onSelect(t.id)}
          onKeyDown={(e) => onTabKey(e.key, shown, current, onSelect)}
          tabIndex={current === t.id ? 0 : -1}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** Arrow keys move between tabs (WAI-ARIA tabs pattern). */
function onTabKey(key: string, shown: readonly Tab[], current: TabId, setTab: (t: TabId) => void) {
  const index = shown.findIndex((t) => t.id === current);
  const next = key === 'ArrowRight' ? index + 1 : key === 'ArrowLeft' ? index - 1 : null;
  if (next === null) return;
  const target = shown[(next + shown.length) % shown.length]!;
  setTab(target.id);
  document.getElementById(`autoci-tab-${target.id}`)?.focus();
}
