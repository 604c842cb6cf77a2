import { Command } from 'commander';
import { addConsumerCommands } from './consumer-commands.ts';
import { addAssignmentCommands } from './assignment-commands.ts';
import { addBackupCommands } from './backup-commands.ts';
import { addCollectCommand } from './collect-command.ts';
import { addCourseCommands } from './course-commands.ts';
import { addDiffCommand } from './diff-command.ts';
import { addForgeCommands } from './forge-commands.ts';
import { addGitlabLiteCommand } from './gitlab-lite-command.ts';
import { addGradesCommands } from './grades-command.ts';
import { addGradingCommands } from './grading-commands.ts';
import { addOidcCommands } from './oidc-commands.ts';
import { addPlatformCommands } from './platform-commands.ts';
import { addPrivacyCommands } from './privacy-commands.ts';
import { addServerCommands } from './server-commands.ts';
import { addWorkspaceImageCommand } from './workspace-image-command.ts';

export function buildProgram(): Command {
  const program = new Command('labgate')
    .description('labgate: LTI front door, GitLab forks and JupyterLab workspaces for notebook courses')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nSettings come from the environment or the JSON file named by LABGATE_CONFIG (see README.md).',
    );
  addServerCommands(program);
  addConsumerCommands(program);
  addPlatformCommands(program);
  addOidcCommands(program);
  addCourseCommands(program);
  addAssignmentCommands(program);
  addForgeCommands(program);
  addDiffCommand(program);
  addGradingCommands(program);
  addGradesCommands(program);
  addCollectCommand(program);
  addGitlabLiteCommand(program);
  addWorkspaceImageCommand(program);
  addPrivacyCommands(program);
  addBackupCommands(program);
  return program;
}
