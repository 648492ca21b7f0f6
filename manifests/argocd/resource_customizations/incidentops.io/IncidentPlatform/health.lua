-- Argo CD health check of incidentops.io/IncidentPlatform.
-- Healthy when Ready; Degraded when Degraded or SpecValid is False;
-- Progressing otherwise (no status yet, status of an older generation,
-- rolling out). Written for Argo CD's Lua 5.1 (gopher-lua); tested with
-- lua5.4 by Tests/python/test_argocd.py on testdata/ (health_test.yaml).
local hs = {}
local function condition(conditions, kind)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end
local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the platform"
  return hs
end
local conditions = obj.status.conditions
local specValid = condition(conditions, "SpecValid")
if specValid ~= nil and specValid.status == "False" then
  hs.status = "Degraded"
  hs.message = text(specValid, "The spec is not valid")
  return hs
end
local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and observed ~= nil and observed < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to apply generation "
    .. tostring(generation)
  return hs
end
local degraded = condition(conditions, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = text(degraded, "A component is failing")
  return hs
end
local ready = condition(conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Every component is ready")
  return hs
end
local progressing = condition(conditions, "Progressing")
hs.status = "Progressing"
local waiting = "Waiting for the components to become ready"
hs.message = text(progressing, text(ready, waiting))
return hs
