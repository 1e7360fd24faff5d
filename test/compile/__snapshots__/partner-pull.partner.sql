select ('{"customers":' || coalesce(r0.j, 'null') || '}') as j, (coalesce(r0.n, 0))::int as n
from (select) base
left join lateral (select ('{"nodes":' || concat('[', string_agg(('{"id":' || coalesce((chr(1) || '0:' || (x0."id")::text || chr(1)), 'null') || ',"ageBand":' || coalesce(to_json((x0."ageBand")::text)::text, 'null') || ',"city":' || coalesce(to_json((x0."city")::text)::text, 'null') || ',"district":' || coalesce(to_json((x0."district")::text)::text, 'null') || ',"orders":' || coalesce(c1.j, 'null') || '}'), ','
        order by x0."createdAt" asc, x0."$order" asc), ']') || '}') as j, ((count(*)) + coalesce(sum(c1.n), 0))::int as n
  from (select t."id" as "$id", t."created_at" as "createdAt", md5($1 || t."id"::text) as "$order", t."id" as "id", ((greatest(extract(year
            from age((now() at time zone 'UTC')::date, (t."birth_date")::date))::int, 0) / 10 * 10)::text || '-' || ((greatest(extract(year
              from age((now() at time zone 'UTC')::date, (t."birth_date")::date))::int, 0) / 10 * 10) + 9)::text) as "ageBand", t."city" as "city", t."district" as "district"
    from "customer" t
    where (t.consent_data_sharing and exists (select 1
        from service_order o
        where o.customer_id = t.id and o.partner_id = $2))
    order by t."created_at" asc, md5($3 || t."id"::text) asc
    limit 100) x0
  left join lateral (select ('{"pageInfo":' || ('{"hasNextPage":' || (case when coalesce(max(x2."$rn"), 0) > 5 then 'true' else 'false' end) || ',"endCursor":' || coalesce((array_agg((chr(1) || '1:' || json_build_array(x2."createdAt", x2."id")::text || chr(1))
              order by x2."$rn" desc) filter (where x2."$rn" <= 5))[1], 'null') || '}') || ',"nodes":' || concat('[', string_agg(('{"id":' || coalesce('"' || (((x2."id")::bigint)::text) || '"', 'null') || ',"serviceType":' || coalesce(to_json((x2."serviceType")::text)::text, 'null') || ',"amount":' || (case when (x2."amount") is null then 'null' else '"' || (case when (x2."amount") < 0 then '-' else '' end) || (abs((x2."amount")::bigint) / 100)::text || '.' || lpad((abs((x2."amount")::bigint) % 100)::text, 2, '0') || '"' end) || ',"createdAt":' || coalesce('"' || to_char((x2."createdAt") at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null') || ',"status":' || (case when (x2."status")::text in ('CREATED', 'IN_PROGRESS', 'FULFILLED', 'CANCELLED') then '"' || (x2."status")::text || '"' else coalesce(to_json((x2."status")::text)::text, 'null') end) || '}'), ','
          order by x2."$rn") filter (where x2."$rn" <= 5), ']') || '}') as j, ((count(*) filter (where x2."$rn" <= 5)))::int as n
    from (select s.*, row_number() over (order by s."createdAt" desc, s."id" asc) as "$rn"
      from (select t."id" as "$id", t."created_at" as "createdAt", t."id" as "id", t."service_type" as "serviceType", t."amount_minor" as "amount", t."status" as "status"
        from "service_order" t
        where (t."customer_id" = x0."$id" and (t.partner_id = $4 and exists (select 1
              from customer c
              where c.id = t.customer_id and c.consent_data_sharing)))
        order by t."created_at" desc, t."id" asc
        limit 6) s) x2 ) c1 on true) r0 on true
