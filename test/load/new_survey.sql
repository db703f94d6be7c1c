-- a survey tool: an NPS answer
\set team random(0, 2)
\set score random(0, 10)
INSERT INTO nps_answers (team, answered, score)
VALUES ((ARRAY['billing', 'technical', 'accounts'])[:team + 1], now(), :score);
