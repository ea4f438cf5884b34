-- Headless Neovim (0.7+) on a deployment layout (Debian's, kolla's): the CodeLens whose title starts with
-- LSP_LENS is run as a user would (`vim.lsp.codelens.run()` on its line, choosing it when the line has several),
-- Go to Definition at LSP_DEF_NEEDLE, the layers request and workspace diagnostics. test/nvim/nvim.test.ts
-- asserts on the output.
-- With LSP_DEFAULTS_NEEDLE, the client says it opens the server's defaults documents and Go to Definition runs
-- at that text (a setting no file sets): a BufReadCmd for their URI scheme fills the buffer from the
-- djangoSessionLint/defaultsDocument request, as a user's configuration would (README, "Other editors").
-- env: LSP_SERVER_JS, LSP_FILE, LSP_ROOT, LSP_LENS (title prefix), LSP_DEF_NEEDLE (text on the definition's line;
-- the position is LSP_DEF_SHIFT characters after its start), LSP_SETTINGS (JSON), LSP_DEFAULTS_NEEDLE
local nvim = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/common.lua')
local out, fail = nvim.out, nvim.fail

local _, file, root, lens_prefix, needle =
  nvim.env({ 'LSP_SERVER_JS', 'LSP_FILE', 'LSP_ROOT', 'LSP_LENS', 'LSP_DEF_NEEDLE' })
if not needle then return end
local shift = tonumber(os.getenv('LSP_DEF_SHIFT') or '0')
local defaults_needle = os.getenv('LSP_DEFAULTS_NEEDLE')
local s = nvim.open(file, { root_dir = root, init_options = defaults_needle and { defaultsDocuments = true } or nil })
if not s then return end
local bufnr, uri = s.bufnr, s.uri

local function request(method, params) return nvim.request(s, method, params) end
local function line_of(path, n)
  local ok, lines = pcall(vim.fn.readfile, path, '', n + 1)
  return ok and lines[n + 1] or '?'
end

-- CodeLens as Neovim shows them.
local lenses = nvim.codelenses(s)
if not lenses then return end
local lens_line
for _, lens in ipairs(lenses) do
  local title = lens.command and lens.command.title or '?'
  if not lens_line and title:sub(1, #lens_prefix) == lens_prefix then lens_line = lens.range.start.line + 1 end
end
if not lens_line then fail('no lens starting with ' .. lens_prefix) return end
-- Several lenses on one line: Neovim asks which one; answer with the one asked for.
vim.ui.select = function(items, opts, on_choice)
  for i, item in ipairs(items) do
    local title = opts.format_item and opts.format_item(item) or tostring(item)
    if title:sub(1, #lens_prefix) == lens_prefix then return on_choice(item, i) end
  end
  on_choice(nil, nil)
end
vim.api.nvim_win_set_cursor(0, { lens_line, 0 })
vim.lsp.codelens.run()
vim.wait(3000, function() return vim.api.nvim_get_current_buf() ~= bufnr end, 20)
local row = vim.api.nvim_win_get_cursor(0)[1]
out(string.format('lens opened: %s:%d %s', vim.api.nvim_buf_get_name(0), row, vim.api.nvim_get_current_line()))
vim.cmd('buffer ' .. bufnr)

-- Go to Definition at the needle.
local def_line, def_char
for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
  local at = l:find(needle, 1, true)
  if at then def_line, def_char = i - 1, at - 1 + shift break end
end
if not def_line then fail('needle not found: ' .. needle) return end
local pos = { textDocument = { uri = uri }, position = { line = def_line, character = def_char } }
for _, loc in ipairs(request('textDocument/definition', pos) or {}) do
  local target = vim.uri_to_fname(loc.uri or loc.targetUri)
  local l = (loc.range or loc.targetRange).start.line
  out(string.format('definition: %s:%d %s', target, l + 1, line_of(target, l)))
end

-- Go to Definition of a built-in default: the server's defaults document, opened as an editor would.
if defaults_needle then
  vim.api.nvim_create_autocmd('BufReadCmd', {
    pattern = 'django-session-lint-defaults://*',
    callback = function(ev)
      local name = vim.api.nvim_buf_get_name(ev.buf)
      local doc = request('djangoSessionLint/defaultsDocument', { uri = name })
      vim.api.nvim_buf_set_lines(ev.buf, 0, -1, false, vim.split(doc and doc.text or '', '\n', { plain = true }))
      vim.api.nvim_buf_set_option(ev.buf, 'buftype', 'nofile')
      vim.api.nvim_buf_set_option(ev.buf, 'modifiable', false)
      vim.api.nvim_buf_set_option(ev.buf, 'filetype', 'python')
    end,
  })
  local found
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local at = l:find(defaults_needle, 1, true)
    if at then found = { i, at - 1 + shift } break end
  end
  if not found then fail('defaults needle not found: ' .. defaults_needle) return end
  vim.api.nvim_win_set_cursor(0, found)
  vim.lsp.buf.definition()
  vim.wait(5000, function() return vim.api.nvim_get_current_buf() ~= bufnr end, 20)
  out(string.format('defaults definition: %s:%d %s', vim.api.nvim_buf_get_name(0),
    vim.api.nvim_win_get_cursor(0)[1], vim.api.nvim_get_current_line()))
  vim.cmd('buffer ' .. bufnr)
end

-- The layers view's data, in load order.
local layers = request('djangoSessionLint/layers', { uri = uri })
for _, l in ipairs(layers and layers.layers or {}) do out('layer: ' .. l.label) end

-- Problems of the files that are not open.
local report = request('workspace/diagnostic', { previousResultIds = {} })
for _, item in ipairs(report and report.items or {}) do
  local codes = {}
  for _, d in ipairs(item.items or {}) do table.insert(codes, d.code .. '@' .. (d.range.start.line + 1)) end
  if #codes > 0 then out(string.format('workspace diagnostic: %s %s', vim.uri_to_fname(item.uri), table.concat(codes, ' '))) end
end

nvim.finish(s)
