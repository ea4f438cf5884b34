-- Headless Neovim (0.7+) as an independent LSP client for the bundled server (adapted from the shared harness).
-- Reports what a user would see; test/nvim/nvim.test.ts asserts on the output.
-- env: LSP_SERVER_JS (dist/server-start.js), LSP_FILE (file to open), LSP_SETTINGS (JSON of the djangoSessionLint section)
local nvim = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/common.lua')
local out, fail = nvim.out, nvim.fail

local _, file = nvim.env({ 'LSP_SERVER_JS', 'LSP_FILE' })
if not file then return end
file = vim.fn.fnamemodify(file, ':p')
local s = nvim.open(file, { root_dir = vim.fn.fnamemodify(file, ':h') })
if not s then return end
local bufnr, client = s.bufnr, s.client

out('server hoverProvider: ' .. tostring(client.server_capabilities and client.server_capabilities.hoverProvider))
for _, d in ipairs(s.published.diagnostics) do
  out(string.format('diagnostic %d:%d severity=%d %s (%s)', d.range.start.line + 1, d.range.start.character + 1, d.severity, d.code or '', d.source or ''))
end
-- vim.diagnostic sees them too (what the user would see as signs/virtual text).
out('vim.diagnostic.get count: ' .. #vim.diagnostic.get(bufnr))

-- Hover inside the SESSION_ENGINE value.
local hover_line, hover_col
for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  if l:match('^SESSION_ENGINE') then hover_line = i - 1; hover_col = (l:find("'", 1, true) or 1) + 1 end
end
if not hover_line then fail('no SESSION_ENGINE line to hover') return end
local resp = client.request_sync('textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = hover_line, character = hover_col },
}, 5000, bufnr)
if not resp or resp.err or not resp.result then fail('hover failed: ' .. vim.inspect(resp)) return end
local contents = resp.result.contents
local hover = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
out('hover: ' .. hover:gsub('\n', ' '))

nvim.finish(s)
