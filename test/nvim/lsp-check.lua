-- Headless Neovim (0.7+) as an independent LSP client for the bundled server (adapted from the shared harness).
-- Reports what a user would see; test/nvim/nvim.test.ts asserts on the output.
-- env: LSP_SERVER_JS (dist/server.js), LSP_FILE (file to open), LSP_SETTINGS (JSON of the djangoSessionLint section)
local function out(s) io.stdout:write(s .. '\n') end
local function fail(msg) out('FAIL: ' .. msg); vim.cmd('cquit 1') end

local server_js, file = os.getenv('LSP_SERVER_JS'), os.getenv('LSP_FILE')
if not server_js or not file then fail('set LSP_SERVER_JS and LSP_FILE') return end
file = vim.fn.fnamemodify(file, ':p')
local settings = vim.fn.json_decode(os.getenv('LSP_SETTINGS') or '{}')

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
local published

local client_id = vim.lsp.start_client({
  name = 'django-session-lint',
  cmd = { 'node', server_js, '--stdio' },
  root_dir = vim.fn.fnamemodify(file, ':h'),
  -- Answered to the server's workspace/configuration pull (section djangoSessionLint).
  settings = { djangoSessionLint = settings },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if result.uri == vim.uri_from_fname(file) then published = result end
    end,
  },
})
if not client_id then fail('server did not start') return end
vim.lsp.buf_attach_client(bufnr, client_id)

if not vim.wait(20000, function() return published ~= nil end, 20) then fail('no publishDiagnostics within 20s') return end
local client = vim.lsp.get_client_by_id(client_id)
out('server hoverProvider: ' .. tostring(client.server_capabilities and client.server_capabilities.hoverProvider))
for _, d in ipairs(published.diagnostics) do
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

vim.lsp.stop_client(client_id)
vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
out('done')
vim.cmd('qall!')
