"""compose: a team's pipeline workflow from a short pipeline-config.yaml (pure logic).

`config` reads and validates the file (every error at file:line:column; `stages` and
`reading` are its parts, `model` its values), `tasks` is the one table from a task to
(reusable workflow, capability declaration), `graph` orders the jobs, `schema` derives the
config's JSON Schema from the declarations. The text of the workflow is
made by paved.report.compose; reading and writing files is the CLI's.
"""
