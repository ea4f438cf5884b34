-- Headless Neovim (0.7+) as an LSP client for the layers where you type: CodeLens (run through a client-side
-- mapping of the server's open-location command, as a user would map it), definition, references, document
-- links, inlay hints, the layers request, pull diagnostics and "check all settings" (published to a client that
-- does not pull). test/nvim/nvim.test.ts asserts on the output.
-- env: LSP_SERVER_JS, LSP_FILE (local_settings.py), LSP_SETTINGS (JSON), LSP_CLOSED (a settings file never opened)
local nvim = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/common.lua')
local out, fail = nvim.out, nvim.fail

local _, file, closed = nvim.env({ 'LSP_SERVER_JS', 'LSP_FILE', 'LSP_CLOSED' })
if not closed then return end
file = vim.fn.fnamemodify(file, ':p')
local closed_published
local s = nvim.open(file, {
  root_dir = vim.fn.fnamemodify(file, ':h:h'),
  on_publish = function(result)
    if result.uri == vim.uri_from_fname(closed) and #result.diagnostics > 0 then closed_published = result end
  end,
})
if not s then return end
local bufnr, uri, client = s.bufnr, s.uri, s.client
local caps = client.server_capabilities or client.resolved_capabilities
out('codeLensProvider: ' .. tostring(caps.codeLensProvider ~= nil and caps.codeLensProvider ~= false))

local function request(method, params) return nvim.request(s, method, params) end
local function rel(u) return vim.fn.fnamemodify(vim.uri_to_fname(u), ':h:t') .. '/' .. vim.fn.fnamemodify(vim.uri_to_fname(u), ':t') end

-- CodeLens as Neovim shows them.
if not nvim.codelenses(s) then return end
-- Run the lens above CACHES (cursor on its line), as `:lua vim.lsp.codelens.run()` would.
local caches_line
for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  if l:match('^CACHES') then caches_line = i end
end
vim.api.nvim_win_set_cursor(0, { caches_line, 0 })
vim.lsp.codelens.run()
vim.wait(3000, function() return vim.api.nvim_get_current_buf() ~= bufnr end, 20)
out(string.format('lens opened: %s:%d', vim.fn.fnamemodify(vim.api.nvim_buf_get_name(0), ':t'), vim.api.nvim_win_get_cursor(0)[1]))
vim.cmd('buffer ' .. bufnr)

-- Definition and references on CACHES.
local pos = { textDocument = { uri = uri }, position = { line = caches_line - 1, character = 2 } }
for _, loc in ipairs(request('textDocument/definition', pos) or {}) do
  out(string.format('definition: %s:%d', rel(loc.uri or loc.targetUri), (loc.range or loc.targetRange).start.line + 1))
end
pos.context = { includeDeclaration = true }
for _, loc in ipairs(request('textDocument/references', pos) or {}) do
  out(string.format('reference: %s:%d', rel(loc.uri), loc.range.start.line + 1))
end
for _, link in ipairs(request('textDocument/documentLink', { textDocument = { uri = uri } }) or {}) do
  out(string.format('link %d: %s', link.range.start.line + 1, rel(link.target)))
end

-- The layers view's data (a custom request any client can send).
local layers = request('djangoSessionLint/layers', { uri = uri })
for _, l in ipairs(layers and layers.layers or {}) do
  local names = {}
  for _, s in ipairs(l.settings) do table.insert(names, s.label .. '=' .. s.value .. (s.effective and '*' or '')) end
  out('layer: ' .. l.label .. ' | ' .. table.concat(names, ', '))
end

-- Pull diagnostics of the workspace (Neovim 0.7 does not pull by itself; the request is plain LSP).
local report = request('workspace/diagnostic', { previousResultIds = {} })
for _, item in ipairs(report and report.items or {}) do
  local codes = {}
  for _, d in ipairs(item.items or {}) do table.insert(codes, d.code) end
  out(string.format('workspace diagnostic: %s %s', rel(item.uri), table.concat(codes, ' ')))
end

-- "Check all settings in workspace": a client that does not pull gets the closed files' problems pushed.
local checked = request('workspace/executeCommand', { command = 'djangoSessionLint.server.checkWorkspace', arguments = {} })
out(string.format('check: projects=%d files=%d problems=%d', checked.projects, checked.files, checked.problems))
if not vim.wait(10000, function() return closed_published ~= nil end, 20) then fail('closed file not published') return end
out('closed published: ' .. closed_published.diagnostics[1].code)

nvim.finish(s)
