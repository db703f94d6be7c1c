-- a help desk: a new ticket, answered, sometimes resolved and rated
\set team random(0, 2)
\set wait random(1, 86400)
INSERT INTO tickets (team, created, first_reply, resolved, csat)
VALUES ((ARRAY['billing', 'technical', 'accounts'])[:team + 1], now(), now() + :wait * interval '1 second',
        CASE WHEN random() < 0.8 THEN now() + 3 * :wait * interval '1 second' END,
        CASE WHEN random() < 0.3 THEN 1 + floor(random() * 5)::int END);
