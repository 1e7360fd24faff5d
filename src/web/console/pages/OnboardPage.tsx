// Onboarding from the screening ranking: the capability gaps with their screened candidates, a
// gap's ranking (weighted 40/25/20/15), and the onboarding form of one candidate. A candidate is
// onboarded once and the partner cannot be removed (only exited), so the write is confirmed.
import { useState } from 'react';
import type { ApiOpenness, ConsoleCandidateRankingQuery } from '../../generated/graphql';
import { ConsoleCandidateRankingDocument, ConsoleGapCandidatesDocument, ConsoleOnboardPartnerDocument } from '../../generated/graphql';
import { useConfirm } from '../components/Confirm';
import { ErrorNote } from '../components/ErrorNote';
import { label } from '../format';
import { useAction, useLoad } from '../hooks';
import { href, navigate, withParams } from '../route';
import { useSession } from '../session';

type Ranked = ConsoleCandidateRankingQuery['candidateRanking'][number];

export function OnboardPage({ gap }: { gap: string | null }) {
  return gap ? <GapRanking gap={gap} /> : <GapList />;
}

function GapList() {
  const { api } = useSession();
  const loaded = useLoad((signal) => api.query(ConsoleCandidateRankingDocument, {}, signal), [api]);
  const gaps = new Map<string, Ranked[]>();
  for (const r of loaded.data?.candidateRanking ?? []) gaps.set(r.capabilityGap, [...(gaps.get(r.capabilityGap) ?? []), r]);
  return (
    <section aria-labelledby="ec-gaps-title">
      <h1 id="ec-gaps-title">Onboard a candidate</h1>
      <p>Capability gaps with screened candidates. Pick a gap to see its ranking.</p>
      <ErrorNote error={loaded.error} onReload={loaded.reload} />
      {loaded.loading && <p role="status">Loading…</p>}
      <ul className="ec-gaps" id="ec-gaps">
        {[...gaps].map(([name, rows]) => (
          <li key={name} data-gap={name}>
            <a href={href('onboard', name)}>
              <strong>{label(name)}</strong>
              <span className="ec-sub">
                {rows.length} candidate{rows.length === 1 ? '' : 's'} · best {rows[0]?.score} ({rows[0]?.name})
              </span>
            </a>
          </li>
        ))}
      </ul>
      {loaded.data && gaps.size === 0 && <p className="ec-empty">No screened candidate.</p>}
    </section>
  );
}

function GapRanking({ gap }: { gap: string }) {
  const { api } = useSession();
  const loaded = useLoad(
    async (signal) => {
      const [ranking, candidates] = await Promise.all([
        api.query(ConsoleCandidateRankingDocument, { capabilityGap: gap }, signal),
        api.query(ConsoleGapCandidatesDocument, { capabilityGap: gap }, signal),
      ]);
      const byId = new Map(candidates.candidatePartners.nodes.map((c) => [c.id, c]));
      return ranking.candidateRanking.map((r) => ({ ...r, candidate: byId.get(r.candidateId) }));
    },
    [api, gap],
  );
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <section aria-labelledby="ec-ranking-title">
      <p className="ec-crumbs">
        <a href={href('onboard')}>Onboard</a> / {label(gap)}
      </p>
      <h1 id="ec-ranking-title">Screening ranking: {label(gap)}</h1>
      <ErrorNote error={loaded.error} onReload={loaded.reload} />
      {loaded.loading && !loaded.data && <p role="status">Loading…</p>}
      <div className="ec-table-wrap">
        <table className="ec-table ec-cards" id="ec-ranking">
          <thead>
            <tr>
              <th>Rank</th>
              <th>Candidate</th>
              <th>Score</th>
              <th>Quality · coverage · cost · integration</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(loaded.data ?? []).map((r) => (
              <tr key={r.candidateId} data-candidate-id={r.candidateId} data-slug={r.slug}>
                <td data-label="Rank">
                  {r.rank} / {r.candidatesInGap}
                </td>
                <td data-label="Candidate">
                  {r.name}
                  <span className="ec-sub">
                    {r.slug} · {label(r.category)}
                    {r.candidate ? ` · ${r.candidate.cities.join(', ')}` : ''}
                  </span>
                </td>
                <td data-label="Score">
                  <strong>{r.score}</strong>
                </td>
                <td data-label="Components">
                  {r.serviceQuality} · {r.coverage} · {r.cost} · {r.integration}
                </td>
                <td className="ec-row-actions">
                  {r.candidate?.partnerId ? (
                    <a href={href('partners', r.candidate.partnerId)}>Partner #{r.candidate.partnerId}</a>
                  ) : (
                    <button type="button" data-action="onboard" onClick={() => setChosen(r.candidateId)} disabled={chosen === r.candidateId}>
                      Onboard…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {chosen && loaded.data && (
        <OnboardForm key={chosen} ranked={loaded.data.find((r) => r.candidateId === chosen)!} gap={gap} version={loaded.data.find((r) => r.candidateId === chosen)?.candidate?.version} onCancel={() => setChosen(null)} />
      )}
    </section>
  );
}

const OPENNESS: ApiOpenness[] = ['CLOSED', 'PARTNER_API', 'OPEN_API'];

function OnboardForm({ ranked, gap, version, onCancel }: { ranked: Ranked; gap: string; version: number | undefined; onCancel: () => void }) {
  const { api } = useSession();
  const confirm = useConfirm();
  const action = useAction();
  const [nameEn, setNameEn] = useState('');
  const [slug, setSlug] = useState('');
  const [serviceTypes, setServiceTypes] = useState(gap);
  const [openness, setOpenness] = useState<ApiOpenness>('PARTNER_API');
  const [description, setDescription] = useState('');

  const submit = async () => {
    const ok = await confirm({
      title: `Onboard ${ranked.name}?`,
      body: 'It becomes an ACTIVE partner now. A candidate is onboarded only once, and a partner is never deleted: it can only be suspended or exited.',
      confirmLabel: 'Onboard',
    });
    if (ok === null) return;
    const input = {
      candidateId: ranked.candidateId,
      expectedVersion: version,
      nameEn: nameEn.trim(),
      slug: slug.trim() || undefined,
      serviceTypes: serviceTypes.split(',').map((s) => s.trim()).filter(Boolean),
      apiOpenness: openness,
      description: description.trim() || undefined,
    };
    const done = await action.run((k) => api.mutate(ConsoleOnboardPartnerDocument, { input }, k));
    const id = done?.onboardPartner.partner?.id;
    if (id) navigate(withParams(href('partners', id), { onboarded: '1' }));
  };

  return (
    <form
      className="ec-subform"
      id="ec-onboard-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>
        Onboard {ranked.name} <span className="ec-sub">rank {ranked.rank}, score {ranked.score}</span>
      </h2>
      <p className="ec-hint">The partner takes the candidate's name, category, industry and cities.</p>
      <div className="ec-grid-form">
        <label className="ec-field">
          <span>English name</span>
          <input name="nameEn" value={nameEn} onChange={(e) => setNameEn(e.target.value)} required />
        </label>
        <label className="ec-field">
          <span>Slug (optional: the candidate's)</span>
          <input name="slug" value={slug} onChange={(e) => setSlug(e.target.value)} placeholder={ranked.slug} />
        </label>
        <label className="ec-field">
          <span>Service types (comma-separated)</span>
          <input name="serviceTypes" value={serviceTypes} onChange={(e) => setServiceTypes(e.target.value)} />
        </label>
        <label className="ec-field">
          <span>API openness</span>
          <select name="apiOpenness" value={openness} onChange={(e) => setOpenness(e.target.value as ApiOpenness)}>
            {OPENNESS.map((o) => (
              <option key={o} value={o}>
                {label(o)}
              </option>
            ))}
          </select>
        </label>
        <label className="ec-field ec-wide">
          <span>Description</span>
          <input name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
      </div>
      <ErrorNote error={action.error} />
      <div className="ec-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="ec-primary" id="ec-onboard-submit" disabled={action.busy}>
          Onboard…
        </button>
      </div>
    </form>
  );
}
